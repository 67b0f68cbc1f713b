package org.panolm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
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
import org.panolm.testsupport.Peers;

/**
 * python3-olm (libolm) as a second Olm peer of the engine: a device made of python3-olm claims the engine's
 * one-time key from the router, publishes its signed device keys, and sends an m.room_key over a pre-key message;
 * the engine checks the sender against the device, takes the key, decrypts the device's room message, and answers
 * over the same Olm session in a message python3-olm decrypts.
 */
class PythonOlmDeviceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE = "@alice:example.org";
    private static final String PY = "@py:example.org";
    private static final String ROOM = "!room:example.org";

    @TempDir
    Path dir;

    private SqliteCryptoStore store;
    private OlmMachine alice;

    @AfterEach
    void close() {
        if (alice != null) alice.close();
        if (store != null) store.close();
    }

    @Test
    void aPython3OlmDeviceSendsARoomKeyOverOlmAndTheEngineAnswersOverTheSameSession() throws Exception {
        store = SqliteCryptoStore.open(dir.resolve("alice.db"), StoreKey.of(new byte[32]));
        alice = OlmMachine.open(ALICE, "ALICE", store);
        Router router = new Router();
        router.add(new Router.EngineDevice(alice));
        router.settle(5); // Alice's keys and one-time keys are on the server

        ObjectNode claim = JSON.createObjectNode();
        claim.putObject("one_time_keys").putObject(ALICE).put("ALICE", "signed_curve25519");
        JsonNode claimed = JSON.readTree(router.handle(Router.named(PY, "PYDEV"), new Router.Request("c", "KEYS_CLAIM",
                "POST", "/_matrix/client/v3/keys/claim", claim.toString())));
        String oneTimeKey = claimed.path("one_time_keys").path(ALICE).path("ALICE").elements().next().path("key").asText();
        String aliceCurve = alice.identityKeys().curve25519Base64();

        JsonNode py = Peers.python("olm_device.py", Map.ofEntries(Map.entry("op", "send_room_key"),
                Map.entry("passphrase", "pw"), Map.entry("user_id", PY), Map.entry("device_id", "PYDEV"),
                Map.entry("their_user", ALICE), Map.entry("their_device", "ALICE"),
                Map.entry("their_curve25519", aliceCurve), Map.entry("their_ed25519", alice.identityKeys().ed25519Base64()),
                Map.entry("their_one_time_key", oneTimeKey), Map.entry("room_id", ROOM),
                Map.entry("body", "from libolm")));
        // The python device publishes its keys; the engine learns them by keys/query.
        ObjectNode upload = JSON.createObjectNode();
        upload.set("device_keys", py.get("device_keys"));
        router.handle(Router.named(PY, "PYDEV"), new Router.Request("u", "KEYS_UPLOAD", "POST",
                "/_matrix/client/v3/keys/upload", upload.toString()));
        alice.updateTrackedUsers(List.of(PY));
        router.settle(5);

        ObjectNode toDevice = JSON.createObjectNode().put("type", "m.room.encrypted").put("sender", PY);
        ObjectNode content = toDevice.putObject("content").put("algorithm", "m.olm.v1.curve25519-aes-sha2")
                .put("sender_key", py.get("curve25519").asText());
        content.putObject("ciphertext").set(aliceCurve, py.get("olm_message"));
        List<ToDeviceResult> results = alice.receiveSyncChanges(SyncChanges.toDevice(List.of(toDevice.toString())));
        ToDeviceResult.Decrypted d = assertInstanceOf(ToDeviceResult.Decrypted.class, results.getFirst(), results::toString);
        assertEquals("PYDEV", d.senderDeviceId(), "the Olm sender key is the python device's");
        assertEquals("m.room_key", JSON.readTree(d.event()).path("type").asText());

        ObjectNode roomEvent = JSON.createObjectNode().put("type", "m.room.encrypted").put("event_id", "$py1")
                .put("room_id", ROOM).put("sender", PY).put("origin_server_ts", 1_700_000_000_000L);
        roomEvent.putObject("content").put("algorithm", "m.megolm.v1.aes-sha2")
                .put("sender_key", py.get("curve25519").asText()).put("device_id", "PYDEV")
                .put("session_id", py.path("megolm").path("session_id").asText())
                .put("ciphertext", py.path("megolm").path("ciphertext").asText());
        DecryptedRoomEvent event = alice.decryptRoomEvent(roomEvent.toString(), ROOM);
        assertEquals("from libolm", JSON.readTree(event.plaintext()).at("/content/body").asText());
        assertEquals("PYDEV", event.senderDeviceId());
        assertEquals(KeyProvenance.Trust.SENDER_AUTHENTICATED, event.trust(), "a room key over Olm from its creator's own device, not verified");

        // The engine answers over the session the pre-key message opened: a normal message libolm decrypts.
        alice.sendToDevice(PY, "PYDEV", "m.test.ping", "{\"n\":1}");
        OutgoingRequest sent = alice.outgoingRequests().stream()
                .filter(r -> r.body() instanceof ToDeviceRequest t && t.messages().containsKey(PY)).findFirst().orElseThrow();
        JsonNode message = JSON.readTree(((ToDeviceRequest) sent.body()).messages().get(PY).get("PYDEV"))
                .path("ciphertext").path(py.get("curve25519").asText());
        assertEquals(1, message.path("type").asInt(), "a normal message: the session is established");
        JsonNode answer = Peers.python("olm_device.py", Map.of("op", "receive", "passphrase", "pw",
                "session_pickle", py.get("session_pickle").asText(), "message", message));
        JsonNode plaintext = JSON.readTree(answer.get("plaintext").asText());
        assertEquals("m.test.ping", plaintext.path("type").asText());
        assertEquals(1, plaintext.path("content").path("n").asInt());
        assertEquals(ALICE, plaintext.path("sender").asText());
        assertEquals(PY, plaintext.path("recipient").asText());
        assertEquals(alice.identityKeys().ed25519Base64(), plaintext.path("keys").path("ed25519").asText());
        alice.markRequestSent(sent.id(), "{}");
    }
}
