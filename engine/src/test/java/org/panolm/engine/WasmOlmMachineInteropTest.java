package org.panolm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 * The engine and matrix-sdk-crypto-wasm's OlmMachine (vodozemac inside, the crypto of Element Web) as two
 * devices behind one router that plays the homeserver: each side uploads keys, queries the other, claims its
 * one-time keys and sends to-device messages, all as real requests (validated against the spec's schemas).
 * Pre-key and normal Olm messages go both ways, room keys are shared both ways, room messages decrypt both ways,
 * a redelivered pre-key message is recognised by the engine, and a key the engine withholds reaches vodozemac as
 * m.room_key.withheld with its code.
 */
class WasmOlmMachineInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE = "@alice:example.org";
    private static final String CAROL = "@carol:example.org";
    private static final String BOB = "@bob:example.org";

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    private Router.EngineDevice engine(String user, String device) {
        var store = SqliteCryptoStore.open(dir.resolve(device + ".db"), StoreKey.of(new byte[32]));
        open.add(store);
        var machine = OlmMachine.open(user, device, store);
        open.add(machine);
        return new Router.EngineDevice(machine);
    }

    private static String text(String body) {
        return JSON.createObjectNode().put("msgtype", "m.text").put("body", body).toString();
    }

    private static ObjectNode roomEvent(String id, String sender, String room, JsonNode content) {
        ObjectNode e = JSON.createObjectNode();
        e.put("type", "m.room.encrypted").put("event_id", id).put("sender", sender).put("room_id", room)
                .put("origin_server_ts", 1);
        e.set("content", content);
        return e;
    }

    private static ObjectNode roomEvent(String id, String sender, String room, String content) {
        return roomEvent(id, sender, room, TestJson.tree(content));
    }

    /** The Olm message types of the m.room.encrypted events delivered to a device so far. */
    private static List<Integer> olmTypes(Router router, String device, String curve) {
        return router.delivered.getOrDefault(device, List.of()).stream()
                .filter(e -> e.path("type").asText().equals("m.room.encrypted"))
                .map(e -> e.at("/content/ciphertext").get(curve).get("type").asInt()).toList();
    }

    @Test
    void olmAndRoomKeysBothWaysWithMatrixSdkCryptoWasm() throws Exception {
        var router = new Router();
        Router.EngineDevice alice = engine(ALICE, "ALICE");
        Router.EngineDevice carol = engine(CAROL, "CAROL");
        WasmDevice bob = new WasmDevice(BOB, "BOBWASM");
        open.add(bob);
        router.add(alice);
        router.add(carol);
        router.add(bob);
        alice.machine.updateTrackedUsers(List.of(BOB));
        carol.machine.updateTrackedUsers(List.of(BOB));
        bob.call(Map.of("op", "track", "users", List.of(ALICE, CAROL)));
        router.settle(10);
        String aliceCurve = alice.machine.identityKeys().curve25519Base64();
        String bobCurve = bob.identity.get("curve25519").asText();

        // 1. wasm -> engine, pre-key: bob claims alice's one-time key and shares a room key.
        String r1 = "!r1:example.org";
        assertTrue(bob.call(Map.of("op", "claim_missing", "users", List.of(ALICE))).get("queued").asBoolean());
        router.settle(10);
        bob.call(Map.of("op", "share", "room_id", r1, "users", List.of(ALICE)));
        router.settle(10);
        assertEquals(List.of(0), olmTypes(router, ALICE + "|ALICE", aliceCurve), "a pre-key message from vodozemac");
        JsonNode fromBob = bob.call(Map.of("op", "encrypt", "room_id", r1, "event_type", "m.room.message",
                "content", TestJson.tree(text("hello from wasm")))).get("content");
        DecryptedRoomEvent d1 = alice.machine.decryptRoomEvent(roomEvent("$w1", BOB, r1, fromBob).toString(), r1);
        assertEquals("hello from wasm", JSON.readTree(d1.plaintext()).at("/content/body").asText());
        assertEquals("BOBWASM", d1.senderDeviceId());
        var provenance = assertInstanceOf(KeyProvenance.ReceivedOverOlm.class, d1.provenance());
        assertEquals(KeyProvenance.DeviceCheck.KEYS_MATCH, provenance.device());
        assertEquals(KeyProvenance.Trust.SENDER_AUTHENTICATED, d1.trust());

        // 2. engine -> wasm, normal message on the session bob started.
        String r2 = "!r2:example.org";
        alice.machine.shareRoomKey(r2, List.of(BOB), EncryptionSettings.defaults());
        router.settle(10);
        assertEquals(List.of(1), olmTypes(router, BOB + "|BOBWASM", bobCurve), "a normal message from the engine");
        assertTrue(bob.decrypted.stream().anyMatch(e -> e.path("type").asText().equals("m.room_key")
                && e.at("/content/room_id").asText().equals(r2)), bob.decrypted.toString());
        String fromAlice = alice.machine.encryptRoomEvent(r2, "m.room.message", text("hello from panolm"));
        JsonNode w2 = bob.call(Map.of("op", "decrypt", "room_id", r2, "event", roomEvent("$p2", ALICE, r2, fromAlice)));
        assertEquals("hello from panolm", w2.at("/event/content/body").asText());
        assertEquals("ALICE", w2.get("sender_device").asText());

        // 3. wasm -> engine again: now a normal message (bob's session has received alice's reply).
        String r3 = "!r3:example.org";
        bob.call(Map.of("op", "share", "room_id", r3, "users", List.of(ALICE)));
        router.settle(10);
        assertEquals(List.of(0, 1), olmTypes(router, ALICE + "|ALICE", aliceCurve));
        JsonNode again = bob.call(Map.of("op", "encrypt", "room_id", r3, "event_type", "m.room.message",
                "content", TestJson.tree(text("second")))).get("content");
        assertEquals("second", JSON.readTree(alice.machine.decryptRoomEvent(roomEvent("$w3", BOB, r3, again).toString(), r3)
                .plaintext()).at("/content/body").asText());

        // 4. engine -> wasm, pre-key: carol claims bob's one-time key (one batch call) and shares.
        String r4 = "!r4:example.org";
        carol.machine.shareRoomKey(r4, List.of(BOB, CAROL), EncryptionSettings.defaults());
        router.settle(10);
        assertEquals(List.of(1, 0), olmTypes(router, BOB + "|BOBWASM", bobCurve), "a pre-key message from the engine");
        String fromCarol = carol.machine.encryptRoomEvent(r4, "m.room.message", text("from carol"));
        JsonNode w4 = bob.call(Map.of("op", "decrypt", "room_id", r4, "event", roomEvent("$c4", CAROL, r4, fromCarol)));
        assertEquals("from carol", w4.at("/event/content/body").asText());

        // 5. The homeserver redelivers bob's first (pre-key) message: recognised and ignored, nothing lost.
        JsonNode first = router.delivered.get(ALICE + "|ALICE").stream()
                .filter(e -> e.path("type").asText().equals("m.room.encrypted")).findFirst().orElseThrow();
        List<ToDeviceResult> redelivered = alice.machine.receiveSyncChanges(SyncChanges.toDevice(List.of(first.toString())));
        assertInstanceOf(ToDeviceResult.Duplicate.class, redelivered.getFirst());
        assertEquals("hello from wasm", JSON.readTree(alice.machine.decryptRoomEvent(roomEvent("$w1", BOB, r1, fromBob).toString(), r1)
                .plaintext()).at("/content/body").asText());

        // 6. Withheld: carol shares only with verified devices; vodozemac's machine gets m.room_key.withheld with
        //    the code, as a plain to-device event, and cannot decrypt carol's message.
        String r6 = "!r6:example.org";
        carol.machine.shareRoomKey(r6, List.of(BOB), new EncryptionSettings(604_800_000L, 100, true, java.util.Set.of()));
        router.settle(10);
        assertTrue(bob.others.stream().anyMatch(o -> o.at("/event/type").asText().equals("m.room_key.withheld")
                && o.at("/event/content/code").asText().equals("m.unverified")
                && o.at("/event/content/room_id").asText().equals(r6)), bob.others.toString());
        String withheld = carol.machine.encryptRoomEvent(r6, "m.room.message", text("not for bob"));
        JsonNode failure = bob.call(Map.of("op", "try_decrypt", "room_id", r6,
                "event", roomEvent("$c6", CAROL, r6, withheld)));
        assertEquals("m.unverified", failure.path("withheld_code").asText(), failure.toString());
        assertTrue(router.validated > 10, "requests validated: " + router.validated);
    }
}
