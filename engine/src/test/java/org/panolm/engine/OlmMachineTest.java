package org.panolm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.engine.store.SqliteCryptoStore;
import org.panolm.engine.store.StoreKey;
import org.panolm.megolm.KeyProvenance;

/**
 * Two engines on SQLite stores and a router in between (every request body checked against the spec's schema):
 * keys uploaded and replenished, devices queried, keys claimed, room keys shared over Olm in one batch and room
 * events decrypted with their sender, device and provenance; redelivery, withholding and rotation.
 */
class OlmMachineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOM = "!room:example.org";

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    private SqliteCryptoStore store(String name) {
        var s = SqliteCryptoStore.open(dir.resolve(name), StoreKey.of(new byte[32]));
        open.add(s);
        return s;
    }

    private OlmMachine machine(String user, String device) {
        var m = OlmMachine.open(user, device, store(device + ".db"));
        open.add(m);
        return m;
    }

    private static String text(String body) {
        ObjectNode c = JSON.createObjectNode();
        c.put("msgtype", "m.text").put("body", body);
        return c.toString();
    }

    private static String roomEvent(String id, String sender, String content) {
        ObjectNode e = JSON.createObjectNode();
        e.put("type", "m.room.encrypted").put("event_id", id).put("sender", sender).put("room_id", ROOM);
        e.set("content", TestJson.tree(content));
        return e.toString();
    }

    @Test
    void keysAreUploadedOnceAndReplenishedFromTheReportedCount() throws Exception {
        OlmMachine alice = machine("@alice:example.org", "ALICE");
        List<OutgoingRequest> first = alice.outgoingRequests().stream()
                .filter(r -> r.type() == RequestType.KEYS_UPLOAD).toList();
        assertEquals(1, first.size());
        KeysUploadRequest upload = assertInstanceOf(KeysUploadRequest.class, first.getFirst().body());
        assertNotNull(upload.deviceKeys());
        assertEquals(50, upload.oneTimeKeys().size());
        assertEquals(1, upload.fallbackKeys().size());
        assertEquals(first.getFirst(), alice.outgoingRequests().getFirst(), "the same request until it is reported");

        var refused = assertThrows(EngineException.class, () -> alice.markRequestSent(first.getFirst().id(), "{}"));
        assertTrue(refused.getMessage().contains("one_time_key_counts"), refused.getMessage());
        assertThrows(EngineException.class, () -> alice.markRequestSent(first.getFirst().id(), "not json"));
        assertEquals(first.getFirst(), alice.outgoingRequests().getFirst(), "a refused response changes nothing");

        var router = new Router();
        var a = new Router.EngineDevice(alice);
        router.add(a);
        router.settle(5);
        assertTrue(alice.outgoingRequests().isEmpty(), "nothing more to upload at 50 keys");

        alice.receiveSyncChanges(new SyncChanges(List.of(), Set.of(), Set.of(), java.util.Map.of("signed_curve25519", 10),
                Set.of("signed_curve25519")));
        KeysUploadRequest more = assertInstanceOf(KeysUploadRequest.class, alice.outgoingRequests().getFirst().body());
        assertEquals(40, more.oneTimeKeys().size(), "topped up to 50");
        assertEquals(null, more.deviceKeys(), "device keys go up once");
        assertTrue(router.validated > 0);
    }

    @Test
    void roomKeysAndMessagesBetweenTwoEngines() throws Exception {
        OlmMachine alice = machine("@alice:example.org", "ALICE");
        OlmMachine bob = machine("@bob:example.org", "BOB");
        var router = new Router();
        var a = new Router.EngineDevice(alice);
        var b = new Router.EngineDevice(bob);
        router.add(a);
        router.add(b);
        bob.updateTrackedUsers(List.of("@alice:example.org")); // a client tracks the members of its encrypted rooms
        router.settle(5);

        alice.shareRoomKey(ROOM, List.of("@alice:example.org", "@bob:example.org"), EncryptionSettings.defaults());
        router.settle(10);
        assertTrue(b.results.stream().anyMatch(r -> r instanceof ToDeviceResult.Decrypted d
                && TestJson.tree(d.event()).path("type").asText().equals("m.room_key") && "ALICE".equals(d.senderDeviceId())), b.results.toString());

        String encrypted = alice.encryptRoomEvent(ROOM, "m.room.message", text("hello bob"));
        DecryptedRoomEvent decrypted = bob.decryptRoomEvent(roomEvent("$1", "@alice:example.org", encrypted), ROOM);
        assertEquals("hello bob", JSON.readTree(decrypted.plaintext()).at("/content/body").asText());
        assertEquals("ALICE", decrypted.senderDeviceId());
        assertInstanceOf(KeyProvenance.ReceivedOverOlm.class, decrypted.provenance());
        assertEquals(KeyProvenance.Trust.SENDER_AUTHENTICATED, decrypted.trust());
        assertEquals(0, decrypted.messageIndex());

        // Alice reads her own message with the copy she created.
        DecryptedRoomEvent own = alice.decryptRoomEvent(roomEvent("$1", "@alice:example.org", encrypted), ROOM);
        assertEquals(KeyProvenance.Trust.SENDER_VERIFIED, own.trust());

        // And back: bob shares his own session with alice, on the Olm session alice started.
        bob.shareRoomKey(ROOM, List.of("@alice:example.org", "@bob:example.org"), EncryptionSettings.defaults());
        router.settle(10);
        String reply = bob.encryptRoomEvent(ROOM, "m.room.message", text("hello alice"));
        assertEquals("hello alice", JSON.readTree(alice.decryptRoomEvent(roomEvent("$2", "@bob:example.org", reply), ROOM)
                .plaintext()).at("/content/body").asText());
        assertTrue(router.validated >= 8, "every request was validated: " + router.validated);
    }

    @Test
    void aRedeliveredToDeviceMessageIsRecognisedAndIgnored() {
        OlmMachine alice = machine("@alice:example.org", "ALICE");
        OlmMachine bob = machine("@bob:example.org", "BOB");
        var router = new Router();
        var b = new Router.EngineDevice(bob);
        router.add(new Router.EngineDevice(alice));
        router.add(b);
        router.settle(5);
        alice.shareRoomKey(ROOM, List.of("@bob:example.org"), EncryptionSettings.defaults());
        router.settle(10);
        List<JsonNode> received = router.delivered.get("@bob:example.org|BOB").stream()
                .filter(e -> e.path("type").asText().equals("m.room.encrypted")).toList();
        assertEquals(1, received.size());
        List<ToDeviceResult> again = bob.receiveSyncChanges(SyncChanges.toDevice(TestJson.texts(received)));
        assertInstanceOf(ToDeviceResult.Duplicate.class, again.getFirst(), "a pre-key message delivered twice");
    }

    @Test
    void unverifiedDevicesAreWithheldWithTheCodeAndTheReceiverSaysWhy() {
        OlmMachine alice = machine("@alice:example.org", "ALICE");
        OlmMachine bob = machine("@bob:example.org", "BOB");
        var router = new Router();
        router.add(new Router.EngineDevice(alice));
        router.add(new Router.EngineDevice(bob));
        router.settle(5);
        alice.shareRoomKey(ROOM, List.of("@bob:example.org"),
                new EncryptionSettings(604_800_000L, 100, true, Set.of()));
        router.settle(10);
        String encrypted = alice.encryptRoomEvent(ROOM, "m.room.message", text("secret"));
        var e = assertThrows(UndecryptableEventException.class,
                () -> bob.decryptRoomEvent(roomEvent("$1", "@alice:example.org", encrypted), ROOM));
        assertEquals(WithheldCode.UNVERIFIED, e.withheld());

        // Once bob's device is verified, the next share reaches it (same session, not yet shared with it).
        alice.setLocalTrust("@bob:example.org", "BOB");
        alice.shareRoomKey(ROOM, List.of("@bob:example.org"), new EncryptionSettings(604_800_000L, 100, true, Set.of()));
        router.settle(10);
        // Withheld devices are not retried within a session: the session is rotated when trust changes only by a new share.
        assertThrows(UndecryptableEventException.class,
                () -> bob.decryptRoomEvent(roomEvent("$1", "@alice:example.org", encrypted), ROOM));
    }

    @Test
    void theSessionRotatesAfterItsMessageCountAndWhenADeviceIsGone() {
        OlmMachine alice = machine("@alice:example.org", "ALICE");
        OlmMachine bob = machine("@bob:example.org", "BOB");
        var router = new Router();
        router.add(new Router.EngineDevice(alice));
        router.add(new Router.EngineDevice(bob));
        router.settle(5);
        var settings = new EncryptionSettings(604_800_000L, 2, false, Set.of());
        alice.shareRoomKey(ROOM, List.of("@bob:example.org"), settings);
        router.settle(10);
        String first = TestJson.tree(alice.encryptRoomEvent(ROOM, "m.room.message", text("1"))).get("session_id").asText();
        alice.encryptRoomEvent(ROOM, "m.room.message", text("2"));
        alice.shareRoomKey(ROOM, List.of("@bob:example.org"), settings);
        router.settle(10);
        String third = alice.encryptRoomEvent(ROOM, "m.room.message", text("3"));
        assertNotEquals(first, TestJson.tree(third).get("session_id").asText(), "rotated after 2 messages");
        assertEquals("3", decryptBody(bob, third, "$3"));

        // Bob leaves: the next share rotates, so bob cannot read what follows.
        alice.shareRoomKey(ROOM, List.of("@alice:example.org"), settings);
        router.settle(10);
        String after = alice.encryptRoomEvent(ROOM, "m.room.message", text("4"));
        assertNotEquals(TestJson.tree(third).get("session_id").asText(), TestJson.tree(after).get("session_id").asText());
        assertThrows(UndecryptableEventException.class,
                () -> bob.decryptRoomEvent(roomEvent("$4", "@alice:example.org", after), ROOM));
    }

    private static String decryptBody(OlmMachine machine, String content, String id) {
        try {
            return JSON.readTree(machine.decryptRoomEvent(roomEvent(id, "@alice:example.org", content), ROOM).plaintext())
                    .at("/content/body").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aToDeviceRequestNotReportedSentSurvivesARestart() {
        var aliceStore = store("alice-restart.db");
        OlmMachine alice = OlmMachine.open("@alice:example.org", "ALICE", aliceStore);
        OlmMachine bob = machine("@bob:example.org", "BOB");
        var router = new Router();
        var a = new Router.EngineDevice(alice);
        router.add(a);
        var b = new Router.EngineDevice(bob);
        router.add(b);
        router.settle(5);
        a.holdToDevice = true; // query and claim go through; the to-device request is not sent before the "crash"
        alice.shareRoomKey(ROOM, List.of("@bob:example.org"), EncryptionSettings.defaults());
        router.settle(10);
        List<OutgoingRequest> pending = alice.outgoingRequests().stream().filter(r -> r.type() == RequestType.TO_DEVICE).toList();
        assertEquals(1, pending.size());
        String encrypted = alice.encryptRoomEvent(ROOM, "m.room.message", text("after restart"));
        alice.close();

        OlmMachine again = OlmMachine.open("@alice:example.org", "ALICE", aliceStore);
        open.add(again);
        List<OutgoingRequest> resumed = again.outgoingRequests().stream().filter(r -> r.type() == RequestType.TO_DEVICE).toList();
        assertEquals(pending.getFirst().id(), resumed.getFirst().id());
        assertEquals(pending.getFirst().bodyJson(), resumed.getFirst().bodyJson());
        var router2 = new Router();
        var a2 = new Router.EngineDevice(again);
        router2.add(a2);
        router2.add(b);
        String response = router2.handle(a2, new Router.Request(resumed.getFirst().id(), "TO_DEVICE",
                resumed.getFirst().method(), resumed.getFirst().path(), resumed.getFirst().bodyJson()));
        again.markRequestSent(resumed.getFirst().id(), response);
        router2.settle(10);
        assertEquals("after restart", decryptBody(bob, encrypted, "$r"));
        assertFalse(again.outgoingRequests().stream().anyMatch(r -> r.type() == RequestType.TO_DEVICE));
    }

    @Test
    void aMessageNoSessionDecryptsStartsANewSessionAndSendsAnMDummy() {
        OlmMachine alice = machine("@alice:example.org", "ALICE");
        OlmMachine bob = machine("@bob:example.org", "BOB");
        var router = new Router();
        var a = new Router.EngineDevice(alice);
        router.add(a);
        router.add(new Router.EngineDevice(bob));
        bob.updateTrackedUsers(List.of("@alice:example.org"));
        router.settle(5);
        alice.shareRoomKey(ROOM, List.of("@bob:example.org"), EncryptionSettings.defaults());
        router.settle(10);

        // A message on the session, damaged in transit (its MAC no longer verifies): no session decrypts it.
        router.deliver = false;
        alice.sendToDevice("@bob:example.org", "BOB", "org.example.ping", "{}");
        router.round();
        router.deliver = true;
        JsonNode event = router.takeInbox("@bob:example.org", "BOB").getFirst().deepCopy();
        ObjectNode cipher = (ObjectNode) event.at("/content/ciphertext").get(bob.identityKeys().curve25519Base64());
        byte[] body = org.panolm.encoding.MatrixBase64.decode(cipher.get("body").asText(), "body");
        body[body.length - 1] ^= 1;
        cipher.put("body", org.panolm.encoding.MatrixBase64.encode(body));
        List<ToDeviceResult> results = bob.receiveSyncChanges(SyncChanges.toDevice(List.of(event.toString())));
        assertInstanceOf(ToDeviceResult.Failed.class, results.getFirst());

        // Bob claims a new key of alice's device and sends an m.dummy on the new session: alice receives it.
        router.settle(10);
        assertTrue(a.results.stream().anyMatch(r -> r instanceof ToDeviceResult.Decrypted d
                && TestJson.tree(d.event()).path("type").asText().equals("m.dummy") && "@bob:example.org".equals(d.senderUserId())),
                a.results.toString());
    }

    @Test
    void aForwardedKeyNobodyAskedForIsNotStored() {
        OlmMachine alice = machine("@alice:example.org", "ALICE");
        OlmMachine bob = machine("@bob:example.org", "BOB");
        var router = new Router();
        var b = new Router.EngineDevice(bob);
        router.add(new Router.EngineDevice(alice));
        router.add(b);
        bob.updateTrackedUsers(List.of("@alice:example.org"));
        router.settle(5);
        alice.shareRoomKey(ROOM, List.of("@bob:example.org"), EncryptionSettings.defaults());
        router.settle(10);

        String other = "!other:example.org";
        try (var outbound = org.panolm.megolm.MegolmOutboundSession.create();
             var inbound = org.panolm.megolm.MegolmInboundSession.create(outbound.sessionKey(), other)) {
            ObjectNode forwarded = JSON.createObjectNode();
            forwarded.put("algorithm", "m.megolm.v1.aes-sha2").put("room_id", other)
                    .put("session_id", outbound.sessionId()).put("session_key", inbound.export().toBase64())
                    .put("sender_key", alice.identityKeys().curve25519Base64())
                    .put("sender_claimed_ed25519_key", alice.identityKeys().ed25519Base64())
                    .putArray("forwarding_curve25519_key_chain");
            alice.sendToDevice("@bob:example.org", "BOB", "m.forwarded_room_key", forwarded.toString());
            router.settle(10);
            assertTrue(b.results.stream().anyMatch(r -> r instanceof ToDeviceResult.Failed f
                    && f.reason().contains("was not requested")), b.results.toString());
            ObjectNode content = JSON.createObjectNode();
            content.put("algorithm", "m.megolm.v1.aes-sha2").put("session_id", outbound.sessionId())
                    .put("ciphertext", outbound.encrypt("{\"type\":\"m.room.message\",\"content\":{},\"room_id\":\""
                            + other + "\"}"));
            ObjectNode event = JSON.createObjectNode();
            event.put("type", "m.room.encrypted").put("event_id", "$f").put("sender", "@alice:example.org");
            event.set("content", content);
            assertThrows(UndecryptableEventException.class, () -> bob.decryptRoomEvent(event.toString(), other),
                    "a forwarded key is accepted only when we asked for it");
        }
    }

    @Test
    void aKeyRequestIsAnsweredOnlyForOurOwnVerifiedDevices() throws Exception {
        OlmMachine alice = machine("@alice:example.org", "ALICE");
        OlmMachine bob = machine("@bob:example.org", "BOB");
        var router = new Router();
        router.add(new Router.EngineDevice(alice));
        router.add(new Router.EngineDevice(bob));
        alice.updateTrackedUsers(List.of("@bob:example.org"));
        bob.updateTrackedUsers(List.of("@alice:example.org"));
        router.settle(5);
        bob.shareRoomKey(ROOM, List.of("@alice:example.org", "@bob:example.org"), EncryptionSettings.defaults());
        router.settle(10);
        String content = bob.encryptRoomEvent(ROOM, "m.room.message", text("before the new devices"));
        String event = roomEvent("$k", "@bob:example.org", content);

        // Two new devices of alice's log in after the share: one she verifies, one she does not.
        OlmMachine verified = machine("@alice:example.org", "ALICE2");
        OlmMachine unverified = machine("@alice:example.org", "ALICE3");
        router.add(new Router.EngineDevice(verified));
        router.add(new Router.EngineDevice(unverified));
        router.settle(10);
        alice.setLocalTrust("@alice:example.org", "ALICE2");
        verified.setLocalTrust("@alice:example.org", "ALICE");
        unverified.setLocalTrust("@alice:example.org", "ALICE");

        for (OlmMachine device : List.of(verified, unverified)) {
            assertThrows(UndecryptableEventException.class, () -> device.decryptRoomEvent(event, ROOM));
        }
        router.settle(20); // the requests go out; alice answers the verified device only (claiming a key first)

        DecryptedRoomEvent forwarded = verified.decryptRoomEvent(event, ROOM);
        assertEquals("before the new devices", JSON.readTree(forwarded.plaintext()).at("/content/body").asText());
        var provenance = assertInstanceOf(KeyProvenance.Forwarded.class, forwarded.provenance());
        assertEquals("ALICE", provenance.forwarderDeviceId());
        assertEquals(KeyProvenance.Trust.UNAUTHENTICATED, forwarded.trust(), "a forwarded key is never authenticated");
        assertThrows(UndecryptableEventException.class, () -> unverified.decryptRoomEvent(event, ROOM),
                "an unverified device of our own gets nothing");
    }

    @Test
    void theBackupKeyIsSentAsASecretOnlyToOurOwnVerifiedDevice() {
        OlmMachine alice = machine("@alice:example.org", "ALICE");
        OlmMachine verified = machine("@alice:example.org", "ALICE2");
        OlmMachine unverified = machine("@alice:example.org", "ALICE3");
        OlmMachine bob = machine("@bob:example.org", "BOB");
        var router = new Router();
        for (OlmMachine m : List.of(alice, verified, unverified, bob)) router.add(new Router.EngineDevice(m));
        bob.updateTrackedUsers(List.of("@alice:example.org"));
        router.settle(10);
        alice.storeSecret("m.megolm_backup.v1", "c2VjcmV0IGJhY2t1cCBrZXk");
        alice.setLocalTrust("@alice:example.org", "ALICE2");
        verified.setLocalTrust("@alice:example.org", "ALICE");
        unverified.setLocalTrust("@alice:example.org", "ALICE");

        verified.requestSecret("m.megolm_backup.v1");
        unverified.requestSecret("m.megolm_backup.v1");
        bob.requestSecret("m.megolm_backup.v1"); // addressed to bob's own devices: alice never sees it
        router.settle(20);

        assertEquals(java.util.Optional.of("c2VjcmV0IGJhY2t1cCBrZXk"), verified.secret("m.megolm_backup.v1"));
        assertTrue(unverified.secret("m.megolm_backup.v1").isEmpty(), "an unverified device of ours gets nothing");
        assertTrue(bob.secret("m.megolm_backup.v1").isEmpty());
    }

    @Test
    void roomKeysGoOutToAnExportFileAndIntoAnotherStore() throws Exception {
        OlmMachine alice = machine("@alice:example.org", "ALICE");
        OlmMachine bob = machine("@bob:example.org", "BOB");
        var router = new Router();
        router.add(new Router.EngineDevice(alice));
        router.add(new Router.EngineDevice(bob));
        alice.updateTrackedUsers(List.of("@bob:example.org"));
        router.settle(5);
        bob.shareRoomKey(ROOM, List.of("@alice:example.org"), EncryptionSettings.defaults());
        router.settle(10);
        String content = bob.encryptRoomEvent(ROOM, "m.room.message", text("kept in the export"));
        String event = roomEvent("$x", "@bob:example.org", content);

        Path file = dir.resolve("keys.txt");
        long written;
        try (var out = java.nio.file.Files.newOutputStream(file);
             var passphrase = org.panolm.recovery.Passphrase.of("export passphrase")) {
            written = alice.exportRoomKeys(out, passphrase, 1000);
        }
        assertEquals(1, written, "bob's session (alice has sent nothing, so has no session of her own)");

        OlmMachine restored = machine("@alice:example.org", "ALICE-NEW");
        try (var passphrase = org.panolm.recovery.Passphrase.of("export passphrase")) {
            assertEquals(1, restored.importRoomKeys(file, passphrase).selected());
        }
        DecryptedRoomEvent decrypted = restored.decryptRoomEvent(event, ROOM);
        assertEquals("kept in the export", JSON.readTree(decrypted.plaintext()).at("/content/body").asText());
        assertInstanceOf(KeyProvenance.ImportedFromFile.class, decrypted.provenance());
        assertEquals(KeyProvenance.Trust.UNAUTHENTICATED, decrypted.trust());
        try (var wrong = org.panolm.recovery.Passphrase.of("wrong")) {
            assertThrows(Exception.class, () -> restored.importRoomKeys(file, wrong));
        }
    }
}
