package org.panolm.olm;

import org.panolm.internal.json.SignedTree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.json.SignedTree;
import org.panolm.json.JsonSigning;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.SessionKey;
import org.panolm.testsupport.InteractiveNodePeer;

/**
 * Olm with matrix-sdk-crypto-wasm's OlmMachine (vodozemac inside; interop/node/olm/olm_machine.mjs), the crypto
 * of Element Web: its Olm sessions are reachable only through to-device events, so the proof is an exchange.
 * The machine claims our one-time key and encrypts to us (a custom event, then an m.room_key whose Megolm
 * session then decrypts a room event); we answer on that session, and start a second session to the
 * machine from one of its one-time keys, made by the batch entry point. Each side checks the other's
 * Olm payload fields (sender, recipient, keys) as clients do.
 */
class OlmWasmInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String US = "@panolm:example.org";
    private static final String DEVICE = "PANOLMDEV";
    private static final String WASM = "@wasm:example.org";
    private static final String ROOM = "!olm:example.org";

    private static ObjectNode signed(Account account, ObjectNode object) {
        String signature = MatrixBase64.encode(account.sign(SignedTree.signedBytes(object)));
        object.putObject("signatures").putObject(US).put("ed25519:" + DEVICE, signature);
        return object;
    }

    private static JsonNode json(byte[] bytes) throws Exception {
        return JSON.readTree(bytes);
    }

    @Test
    void olmMachineAndPanolmExchangeToDeviceMessagesBothWays() throws Exception {
        try (Account account = Account.create(); InteractiveNodePeer wasm = new InteractiveNodePeer("olm/olm_machine.mjs")) {
            account.generateOneTimeKeys(1);
            IdentityKeys ours = account.identityKeys();
            ObjectNode deviceKeys = JSON.createObjectNode();
            deviceKeys.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2").add("m.megolm.v1.aes-sha2");
            deviceKeys.put("device_id", DEVICE);
            deviceKeys.putObject("keys").put("curve25519:" + DEVICE, ours.curve25519Base64()).put("ed25519:" + DEVICE,
                    ours.ed25519Base64());
            deviceKeys.put("user_id", US);
            signed(account, deviceKeys);
            OneTimeKey otk = account.oneTimeKeys().getFirst();
            ObjectNode otkObject = JSON.createObjectNode().put("key", otk.publicKeyBase64());
            account.markKeysAsPublished();

            JsonNode init = wasm.call(Map.of("op", "init", "user_id", WASM, "device_id", "WASMDEV", "peer_user", US,
                    "peer_device_keys", deviceKeys,
                    "peer_one_time_keys", Map.of("signed_curve25519:" + otk.keyId(), signed(account, otkObject))));
            Curve25519PublicKey wasmCurve = Curve25519PublicKey.fromBase64(init.get("curve25519").asText());
            String wasmEd = init.get("ed25519").asText();

            // 1. The machine encrypts to us: a pre-key message on a session from our one-time key.
            JsonNode encrypted = wasm.call(Map.of("op", "encrypt", "event_type", "org.panolm.test",
                    "content", Map.of("body", "from vodozemac")));
            OlmMessage first = message(encrypted.get("content"), ours, wasmCurve);
            assertEquals(OlmMessage.Type.PRE_KEY, first.type());
            try (InboundSession in = account.createInboundSession(wasmCurve, first)) {
                JsonNode payload = json(in.plaintext());
                assertEquals("org.panolm.test", payload.get("type").asText());
                assertEquals("from vodozemac", payload.at("/content/body").asText());
                assertEquals(WASM, payload.get("sender").asText());
                assertEquals(US, payload.get("recipient").asText());
                assertEquals(ours.ed25519Base64(), payload.at("/recipient_keys/ed25519").asText());
                assertEquals(wasmEd, payload.at("/keys/ed25519").asText());
                assertTrue(account.oneTimeKeys().isEmpty());

                // 2. An m.room_key on the same session: the Megolm session decrypts the machine's room event.
                JsonNode shared = wasm.call(Map.of("op", "share_room_key", "room_id", ROOM));
                assertEquals(1, shared.get("contents").size());
                OlmMessage roomKey = message(shared.get("contents").get(0), ours, wasmCurve);
                assertTrue(in.session().matchesInbound(roomKey), "the machine reuses its session");
                JsonNode key = json(in.session().decrypt(roomKey));
                assertEquals("m.room_key", key.get("type").asText());
                assertEquals(ROOM, key.at("/content/room_id").asText());
                JsonNode roomEvent = wasm.call(Map.of("op", "encrypt_room_event", "room_id", ROOM,
                        "event_type", "m.room.message", "content", Map.of("msgtype", "m.text", "body", "megolm hello")));
                try (MegolmInboundSession megolm = MegolmInboundSession.create(
                        SessionKey.fromBase64(key.at("/content/session_key").asText()), ROOM)) {
                    assertEquals(key.at("/content/session_id").asText(), megolm.sessionId());
                    JsonNode event = json(megolm.decrypt(roomEvent.at("/content/ciphertext").asText(), "$e", ROOM).plaintext());
                    assertEquals("megolm hello", event.at("/content/body").asText());
                }

                // 3. We answer on that session: a normal message, which the machine decrypts.
                OlmMessage reply = in.session().encrypt(payload(ours, wasmEd, "answer on your session"));
                assertEquals(OlmMessage.Type.NORMAL, reply.type());
                assertEquals(List.of("answer on your session"), receive(wasm, ours, wasmCurve, reply.type(), reply.bodyBase64()));
            }

            // 4. A new session from us, from one of the machine's one-time keys, made by the batch entry point.
            Map.Entry<String, JsonNode> wasmOtk = init.get("one_time_keys").properties().iterator().next();
            Curve25519PublicKey wasmOneTime = Curve25519PublicKey.fromBase64(wasmOtk.getValue().get("key").asText());
            try (Session out = Session.createOutbound(account, wasmCurve, wasmOneTime)) {
                PayloadTemplate template = PayloadTemplate.perRecipient();
                var result = BatchEncryption.encrypt(template, List.of(new BatchEncryption.Recipient(out,
                        List.of(payload(ours, wasmEd, "a new session, from the batch"))))).getFirst();
                assertEquals(OlmMessage.Type.PRE_KEY, result.type());
                assertEquals(List.of("a new session, from the batch"),
                        receive(wasm, ours, wasmCurve, result.type(), result.body()));
            }
        }
    }

    /** Our Olm message in an m.room.encrypted content for our device. */
    private static OlmMessage message(JsonNode content, IdentityKeys ours, Curve25519PublicKey sender) {
        assertEquals("m.olm.v1.curve25519-aes-sha2", content.get("algorithm").asText());
        assertEquals(sender.toBase64(), content.get("sender_key").asText());
        JsonNode m = content.get("ciphertext").get(ours.curve25519Base64());
        return OlmMessage.fromBase64(m.get("type").asLong(), m.get("body").asText());
    }

    private static byte[] payload(IdentityKeys ours, String wasmEd, String body) throws Exception {
        ObjectNode p = JSON.createObjectNode();
        p.put("type", "org.panolm.test");
        p.putObject("content").put("body", body);
        p.put("sender", US);
        p.put("sender_device", DEVICE);
        p.putObject("keys").put("ed25519", ours.ed25519Base64());
        p.put("recipient", WASM);
        p.putObject("recipient_keys").put("ed25519", wasmEd);
        return JSON.writeValueAsBytes(p);
    }

    /** Sends one Olm message to the machine as a to-device event; returns the bodies it decrypted. */
    private static List<String> receive(InteractiveNodePeer wasm, IdentityKeys ours, Curve25519PublicKey wasmCurve,
                                        OlmMessage.Type type, String body) {
        Map<String, Object> content = Map.of("algorithm", "m.olm.v1.curve25519-aes-sha2",
                "sender_key", ours.curve25519Base64(),
                "ciphertext", Map.of(wasmCurve.toBase64(), Map.of("type", type.code(), "body", body)));
        JsonNode answer = wasm.call(Map.of("op", "receive",
                "events", List.of(Map.of("type", "m.room.encrypted", "sender", US, "content", content))));
        assertEquals(0, answer.get("others").asInt(), answer.toString());
        List<String> bodies = new java.util.ArrayList<>();
        for (JsonNode e : answer.get("decrypted")) {
            assertEquals("org.panolm.test", e.get("type").asText());
            bodies.add(e.at("/content/body").asText());
        }
        return bodies;
    }
}
