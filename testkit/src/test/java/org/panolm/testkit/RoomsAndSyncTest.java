package org.panolm.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import tools.jackson.databind.JsonNode;

class RoomsAndSyncTest {
    @RegisterExtension
    static final TestHomeserverExtension SERVER = new TestHomeserverExtension();

    private static final String ENCRYPTED_ROOM = """
            {"preset":"private_chat","name":"secret","initial_state":[{"type":"m.room.encryption","state_key":"",
            "content":{"algorithm":"m.megolm.v1.aes-sha2"}}]}""";

    private static int users;

    private static Client user() {
        return Client.register(SERVER.server().baseUrl(), "u" + (++users), "pw");
    }

    private static String enc(String s) {
        return Client.enc(s);
    }

    private static List<String> types(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.path("type").asString()));
        return out;
    }

    @Test
    void createInviteJoinSendAndSync() {
        Client alice = user();
        Client bob = user();
        String room = alice.createRoom(ENCRYPTED_ROOM);
        var encryption = alice.ok(alice.get("/_matrix/client/v3/rooms/" + enc(room) + "/state/m.room.encryption/"));
        assertEquals("m.megolm.v1.aes-sha2", encryption.path("algorithm").asString());

        JsonNode first = bob.sync(null, 0);
        String since = first.path("next_batch").asString();
        assertTrue(first.path("rooms").path("invite").isMissingNode());
        alice.ok(alice.post("/_matrix/client/v3/rooms/" + enc(room) + "/invite",
                "{\"user_id\":\"" + bob.userId + "\"}"));
        JsonNode invited = bob.sync(since, 0);
        var inviteState = invited.path("rooms").path("invite").path(room).path("invite_state").path("events");
        assertTrue(types(inviteState).contains("m.room.encryption"), inviteState.toString());
        since = invited.path("next_batch").asString();

        // Not joined yet: no sending.
        assertEquals(403, bob.put("/_matrix/client/v3/rooms/" + enc(room) + "/send/m.room.message/t0",
                "{\"msgtype\":\"m.text\",\"body\":\"x\"}").status());
        bob.ok(bob.post("/_matrix/client/v3/join/" + enc(room), "{}"));
        JsonNode joined = bob.sync(since, 0);
        JsonNode roomSync = joined.path("rooms").path("join").path(room);
        List<String> all = new ArrayList<>(types(roomSync.path("state").path("events")));
        all.addAll(types(roomSync.path("timeline").path("events")));
        assertTrue(all.contains("m.room.create") && all.contains("m.room.encryption") && all.contains("m.room.name"),
                all.toString());
        assertTrue(joined.path("device_lists").path("changed").toString().contains(alice.userId),
                "bob now shares a room with alice: " + joined.path("device_lists"));
        since = joined.path("next_batch").asString();

        String id1 = alice.sendEvent(room, "m.room.encrypted", "txn1", """
                {"algorithm":"m.megolm.v1.aes-sha2","sender_key":"k","ciphertext":"c","session_id":"s",
                "device_id":"D"}""");
        // The same transaction id again is the same event.
        assertEquals(id1, alice.sendEvent(room, "m.room.encrypted", "txn1", """
                {"algorithm":"m.megolm.v1.aes-sha2","sender_key":"k","ciphertext":"c","session_id":"s",
                "device_id":"D"}"""));
        JsonNode fresh = bob.sync(since, 0);
        JsonNode timeline = fresh.path("rooms").path("join").path(room).path("timeline").path("events");
        assertEquals(1, timeline.size(), timeline.toString());
        assertEquals(id1, timeline.path(0).path("event_id").asString());
        assertTrue(timeline.path(0).path("unsigned").path("transaction_id").isMissingNode(),
                "only the sending device sees its transaction id");
        JsonNode mine = alice.sync(null, 0).path("rooms").path("join").path(room).path("timeline").path("events");
        assertEquals("txn1", mine.get(mine.size() - 1).path("unsigned").path("transaction_id").asString());

        var members = alice.ok(alice.get("/_matrix/client/v3/rooms/" + enc(room) + "/joined_members"));
        assertTrue(members.path("joined").has(alice.userId) && members.path("joined").has(bob.userId));
        var all2 = alice.ok(alice.get("/_matrix/client/v3/rooms/" + enc(room) + "/members?not_membership=leave"));
        assertEquals(2, all2.path("chunk").size());
        var rooms = bob.ok(bob.get("/_matrix/client/v3/joined_rooms"));
        assertEquals(room, rooms.path("joined_rooms").path(0).asString());
    }

    @Test
    void eventContentsAreCheckedAgainstTheEventSchemas() {
        Client alice = user();
        String room = alice.createRoom("{}");
        var bad = alice.put("/_matrix/client/v3/rooms/" + enc(room) + "/state/m.room.encryption/",
                "{\"rotation_period_ms\":5}");
        assertEquals(400, bad.status());
        assertEquals("M_BAD_JSON", bad.errcode());
        var badCreate = alice.post("/_matrix/client/v3/createRoom", """
                {"initial_state":[{"type":"m.room.encryption","state_key":"","content":{}}]}""");
        assertEquals("M_BAD_JSON", badCreate.errcode());
    }

    @Test
    void powerLevelsGuardState() {
        Client alice = user();
        Client bob = user();
        String room = alice.createRoom("{\"preset\":\"public_chat\"}");
        bob.ok(bob.post("/_matrix/client/v3/rooms/" + enc(room) + "/join", "{}"));
        var denied = bob.put("/_matrix/client/v3/rooms/" + enc(room) + "/state/m.room.topic/",
                "{\"topic\":\"mine\"}");
        assertEquals(403, denied.status());
        assertEquals("M_FORBIDDEN", denied.errcode());
        alice.ok(alice.put("/_matrix/client/v3/rooms/" + enc(room) + "/state/m.room.topic/",
                "{\"topic\":\"ours\"}"));
        assertEquals(404, alice.get("/_matrix/client/v3/rooms/" + enc(room) + "/state/m.room.avatar/").status());
    }

    @Test
    void messagesPaginateBothWays() {
        Client alice = user();
        String room = alice.createRoom("{}");
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            sent.add(alice.sendEvent(room, "m.room.message", "m" + i, "{\"msgtype\":\"m.text\",\"body\":\"" + i
                    + "\"}"));
        }
        // Backwards from the end in pages of 10, until no end token.
        List<String> back = new ArrayList<>();
        String from = null;
        int pages = 0;
        while (true) {
            JsonNode page = alice.ok(alice.get("/_matrix/client/v3/rooms/" + enc(room) + "/messages?dir=b&limit=10"
                    + (from == null ? "" : "&from=" + from)));
            pages++;
            page.path("chunk").forEach(e -> {
                if (e.path("type").asString().equals("m.room.message")) {
                    back.add(e.path("event_id").asString());
                }
            });
            if (!page.has("end")) {
                break;
            }
            from = page.path("end").asString();
        }
        List<String> expected = new ArrayList<>(sent);
        java.util.Collections.reverse(expected);
        assertEquals(expected, back);
        assertTrue(pages >= 3);

        // Forwards from the start: the same events in order.
        List<String> forward = new ArrayList<>();
        from = null;
        while (true) {
            JsonNode page = alice.ok(alice.get("/_matrix/client/v3/rooms/" + enc(room) + "/messages?dir=f&limit=7"
                    + (from == null ? "" : "&from=" + from)));
            page.path("chunk").forEach(e -> {
                if (e.path("type").asString().equals("m.room.message")) {
                    forward.add(e.path("event_id").asString());
                }
            });
            if (!page.has("end")) {
                break;
            }
            from = page.path("end").asString();
        }
        assertEquals(sent, forward);

        // A limited sync timeline's prev_batch continues backwards where the timeline starts.
        JsonNode sync = alice.ok(alice.get("/_matrix/client/v3/sync?filter=" + enc("{\"room\":{\"timeline\":"
                + "{\"limit\":5}}}")));
        JsonNode tl = sync.path("rooms").path("join").path(room).path("timeline");
        assertTrue(tl.path("limited").asBoolean());
        assertEquals(5, tl.path("events").size());
        JsonNode before = alice.ok(alice.get("/_matrix/client/v3/rooms/" + enc(room) + "/messages?dir=b&limit=1"
                + "&from=" + tl.path("prev_batch").asString()));
        assertEquals(sent.get(19), before.path("chunk").path(0).path("event_id").asString());
        assertEquals("M_INVALID_PARAM", alice.get("/_matrix/client/v3/rooms/" + enc(room)
                + "/messages?dir=x").errcode());
    }

    @Test
    void longPollingWakesOnNewEvents() throws Exception {
        Client alice = user();
        String room = alice.createRoom("{}");
        String since = alice.sync(null, 0).path("next_batch").asString();
        long start = System.nanoTime();
        CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(() -> alice.sync(since, 20_000));
        Thread.sleep(300);
        assertFalse(waiting.isDone(), "a sync with nothing new waits");
        alice.sendEvent(room, "m.room.message", "wake", "{\"msgtype\":\"m.text\",\"body\":\"wake up\"}");
        JsonNode woke = waiting.get(10, TimeUnit.SECONDS);
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 10_000);
        assertEquals("wake up", woke.path("rooms").path("join").path(room).path("timeline").path("events").path(0)
                .path("content").path("body").asString());

        // Nothing new: the sync answers empty when its timeout runs out.
        String next = woke.path("next_batch").asString();
        JsonNode empty = alice.sync(next, 200);
        assertTrue(empty.path("rooms").isMissingNode());
        assertEquals(next, empty.path("next_batch").asString());
    }

    @Test
    void toDeviceMessagesStayUntilAcknowledged() {
        Client alice = user();
        Client bob = user();
        String since = bob.sync(null, 0).path("next_batch").asString();
        String body = """
                {"messages":{"%s":{"%s":{"algorithm":"m.megolm.v1.aes-sha2","room_id":"!r:localhost",
                "session_id":"s","session_key":"k"}}}}""".formatted(bob.userId, bob.deviceId);
        alice.ok(alice.put("/_matrix/client/v3/sendToDevice/m.room_key/t1", body));
        alice.ok(alice.put("/_matrix/client/v3/sendToDevice/m.room_key/t1", body)); // same txn: once
        JsonNode got = bob.sync(since, 0);
        assertEquals(1, got.path("to_device").path("events").size(), got.toString());
        assertEquals(alice.userId, got.path("to_device").path("events").path(0).path("sender").asString());
        // The response was "lost": syncing again from the same token delivers it again.
        JsonNode again = bob.sync(since, 0);
        assertEquals(1, again.path("to_device").path("events").size());
        // Syncing from the new token acknowledges it: gone for good.
        JsonNode acked = bob.sync(again.path("next_batch").asString(), 0);
        assertTrue(acked.path("to_device").isMissingNode(), acked.toString());
        assertTrue(bob.sync(since, 0).path("to_device").isMissingNode(), "acknowledged messages are deleted");

        // A malformed m.room_key is refused as a whole.
        var bad = alice.put("/_matrix/client/v3/sendToDevice/m.room_key/t2", """
                {"messages":{"%s":{"*":{"algorithm":"m.megolm.v1.aes-sha2"}}}}""".formatted(bob.userId));
        assertEquals("M_BAD_JSON", bad.errcode());
    }

    @Test
    void toDeviceIsPagedAndTheTokenSaysHowFar() {
        Client alice = user();
        Client bob = user();
        String since = bob.sync(null, 0).path("next_batch").asString();
        StringBuilder msgs = new StringBuilder();
        for (int i = 0; i < 130; i++) {
            alice.ok(alice.put("/_matrix/client/v3/sendToDevice/m.dummy/p" + i, """
                    {"messages":{"%s":{"%s":{}}}}""".formatted(bob.userId, bob.deviceId)));
            msgs.append(i);
        }
        JsonNode first = bob.sync(since, 0);
        assertEquals(100, first.path("to_device").path("events").size());
        JsonNode second = bob.sync(first.path("next_batch").asString(), 0);
        assertEquals(30, second.path("to_device").path("events").size());
        assertTrue(bob.sync(second.path("next_batch").asString(), 0).path("to_device").isMissingNode());
    }

    @Test
    void accountDataComesBackInTheNextSync() {
        Client alice = user();
        String room = alice.createRoom("{}");
        JsonNode initial = alice.sync(null, 0);
        assertTrue(initial.path("account_data").toString().contains("m.push_rules"),
                "push rules come with the first sync");
        String since = initial.path("next_batch").asString();
        alice.ok(alice.put("/_matrix/client/v3/user/" + enc(alice.userId) + "/account_data/m.secret_storage"
                + ".default_key", "{\"key\":\"abc\"}"));
        alice.ok(alice.put("/_matrix/client/v3/user/" + enc(alice.userId) + "/rooms/" + enc(room)
                + "/account_data/org.example.tag", "{\"x\":1}"));
        JsonNode next = alice.sync(since, 1000);
        assertEquals("abc", next.path("account_data").path("events").path(0).path("content").path("key").asString());
        assertEquals("org.example.tag", next.path("rooms").path("join").path(room).path("account_data")
                .path("events").path(0).path("type").asString());
        assertEquals("abc", alice.ok(alice.get("/_matrix/client/v3/user/" + enc(alice.userId)
                + "/account_data/m.secret_storage.default_key")).path("key").asString());
        assertEquals(404, alice.get("/_matrix/client/v3/user/" + enc(alice.userId) + "/account_data/none").status());
        Client bob = user();
        assertEquals(403, bob.put("/_matrix/client/v3/user/" + enc(alice.userId) + "/account_data/x", "{}")
                .status());
        // A new device of the same user reads it from its first sync.
        Client second = alice.login("pw");
        assertTrue(second.sync(null, 0).path("account_data").toString().contains("m.secret_storage.default_key"));
    }

    @Test
    void leavingShowsInSyncAndDeviceLists() {
        Client alice = user();
        Client bob = user();
        String room = alice.createRoom("{\"preset\":\"public_chat\"}");
        bob.ok(bob.post("/_matrix/client/v3/join/" + enc(room), "{}"));
        String since = alice.sync(null, 0).path("next_batch").asString();
        String bobSince = bob.sync(null, 0).path("next_batch").asString();
        bob.ok(bob.post("/_matrix/client/v3/rooms/" + enc(room) + "/leave", "{}"));
        JsonNode a = alice.sync(since, 0);
        assertTrue(a.path("device_lists").path("left").toString().contains(bob.userId), a.toString());
        JsonNode b = bob.sync(bobSince, 0);
        assertFalse(b.path("rooms").path("leave").path(room).isMissingNode(), b.toString());
        var changes = alice.ok(alice.get("/_matrix/client/v3/keys/changes?from=" + since + "&to="
                + a.path("next_batch").asString()));
        assertTrue(changes.path("left").toString().contains(bob.userId));
        assertEquals(403, bob.post("/_matrix/client/v3/rooms/" + enc(room) + "/leave", "{}").status());
        assertNotEquals(0, SERVER.server().port());
    }

    @Test
    void stateEventsProfilesCapabilitiesAndBodylessPosts() {
        Client alice = user();
        Client bob = user();
        String room = alice.createRoom("{\"preset\":\"public_chat\",\"topic\":\"t\"}");
        // A POST whose body may be empty: sent with a JSON content type and no bytes.
        bob.ok(bob.send("POST", "/_matrix/client/v3/rooms/" + enc(room) + "/join", new byte[0], "application/json"));
        JsonNode state = alice.ok(alice.get("/_matrix/client/v3/rooms/" + enc(room) + "/state"));
        assertTrue(types(state).containsAll(List.of("m.room.create", "m.room.topic", "m.room.member")), types(state)
                .toString());
        String id = alice.sendEvent(room, "m.room.message", "one", "{\"msgtype\":\"m.text\",\"body\":\"x\"}");
        assertEquals("x", bob.ok(bob.get("/_matrix/client/v3/rooms/" + enc(room) + "/event/" + enc(id)))
                .path("content").path("body").asString());
        assertEquals(404, bob.get("/_matrix/client/v3/rooms/" + enc(room) + "/event/" + enc("$nope")).status());
        assertEquals("m.room.topic", alice.ok(alice.get("/_matrix/client/v3/rooms/" + enc(room)
                + "/state/m.room.topic/?format=event")).path("type").asString());
        alice.ok(alice.put("/_matrix/client/v3/profile/" + enc(alice.userId) + "/displayname",
                "{\"displayname\":\"Alice\"}"));
        assertEquals("Alice", bob.ok(bob.get("/_matrix/client/v3/profile/" + enc(alice.userId)))
                .path("displayname").asString());
        assertEquals(403, bob.put("/_matrix/client/v3/profile/" + enc(alice.userId) + "/displayname",
                "{\"displayname\":\"Mallory\"}").status());
        assertEquals("10", alice.ok(alice.get("/_matrix/client/v3/capabilities")).path("capabilities")
                .path("m.room_versions").path("default").asString());
        assertEquals(404, alice.post("/_matrix/client/v3/join/" + enc("!missing:localhost"), "{}").status());
        assertEquals("M_UNSUPPORTED_ROOM_VERSION", alice.post("/_matrix/client/v3/createRoom",
                "{\"room_version\":\"1\"}").errcode());
    }

    @Test
    void filtersAndPushRules() {
        Client alice = user();
        var f = alice.ok(alice.post("/_matrix/client/v3/user/" + enc(alice.userId) + "/filter",
                "{\"room\":{\"timeline\":{\"limit\":3}}}"));
        String id = f.path("filter_id").asString();
        assertEquals(3, alice.ok(alice.get("/_matrix/client/v3/user/" + enc(alice.userId) + "/filter/" + id))
                .path("room").path("timeline").path("limit").asInt());
        assertEquals(200, alice.get("/_matrix/client/v3/sync?filter=" + id).status());
        assertEquals(404, alice.get("/_matrix/client/v3/user/" + enc(alice.userId) + "/filter/99").status());
        var rules = alice.ok(alice.get("/_matrix/client/v3/pushrules/"));
        assertTrue(rules.path("global").path("override").isArray());
    }
}
