package org.panolm.olm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.panolm.encoding.MatrixBase64;
import org.panolm.subtle.Ed25519;
import org.panolm.testsupport.Peers;

/** Olm 1:1 against python3-olm (interop/python/olm_olm.py), both directions, plus pickles across. */
class OlmInteropTest {
    private static final String PASSPHRASE = "interop pickle passphrase";
    private static final byte[] PICKLE_KEY = PASSPHRASE.getBytes(StandardCharsets.UTF_8);

    private static Map<String, Object> request(String op, Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", op);
        m.put("passphrase", PASSPHRASE);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> wire(OlmMessage m) {
        return Map.of("type", m.type().code(), "body", m.bodyBase64());
    }

    private static OlmMessage fromWire(JsonNode m) {
        return OlmMessage.fromBase64(m.get("type").asLong(), m.get("body").asText());
    }

    private static Curve25519PublicKey key(JsonNode node) {
        return Curve25519PublicKey.fromBase64(node.asText());
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void javaStartsPythonAnswers() {
        JsonNode bob = Peers.python("olm_olm.py", request("create_account", "one_time_keys", 1));
        try (Account alice = Account.create();
             Session session = Session.createOutbound(alice, key(bob.get("curve25519")),
                     key(bob.get("one_time_keys").get(0).get("key")))) {
            OlmMessage m0 = session.encrypt("java pre-key 0 ✓".getBytes(StandardCharsets.UTF_8));
            OlmMessage m1 = session.encrypt("java pre-key 1".getBytes(StandardCharsets.UTF_8));
            assertEquals(OlmMessage.Type.PRE_KEY, m1.type());

            JsonNode answer = Peers.python("olm_olm.py", request("inbound",
                    "account_pickle", bob.get("account_pickle").asText(),
                    "sender_key", alice.identityKeys().curve25519Base64(),
                    "messages", List.of(wire(m0), wire(m1)),
                    "replies", List.of("python reply")));
            assertEquals(List.of("java pre-key 0 ✓", "java pre-key 1"), texts(answer.get("plaintexts")));
            assertEquals(session.sessionId(), answer.get("session_id").asText());
            OlmMessage reply = fromWire(answer.get("replies").get(0));
            assertEquals(OlmMessage.Type.NORMAL, reply.type());
            assertEquals("python reply", text(session.decrypt(reply)));

            OlmMessage normal = session.encrypt("java normal".getBytes(StandardCharsets.UTF_8));
            assertEquals(OlmMessage.Type.NORMAL, normal.type());
            JsonNode step = Peers.python("olm_olm.py", request("session_step",
                    "session_pickle", answer.get("session_pickle").asText(),
                    "messages", List.of(wire(normal)), "replies", List.of()));
            assertEquals(List.of("java normal"), texts(step.get("plaintexts")));

            // Python's session pickle loads in Java and keeps talking to our session.
            try (Session pythonSide = Session.fromPickle(step.get("session_pickle").asText(), PICKLE_KEY)) {
                assertEquals(session.sessionId(), pythonSide.sessionId());
                assertEquals("from the loaded pickle", text(session.decrypt(
                        pythonSide.encrypt("from the loaded pickle".getBytes(StandardCharsets.UTF_8)))));
            }
            // Python removed the used one-time key: its account has none left.
            JsonNode after = Peers.python("olm_olm.py", request("describe_account",
                    "account_pickle", answer.get("account_pickle").asText()));
            assertEquals(0, after.get("one_time_keys").size());
        }
    }

    @Test
    void pythonStartsJavaAnswers() {
        try (Account bob = Account.create()) {
            bob.generateOneTimeKeys(1);
            OneTimeKey otk = bob.oneTimeKeys().getFirst();
            bob.markKeysAsPublished();
            JsonNode alice = Peers.python("olm_olm.py", request("outbound",
                    "their_curve25519", bob.identityKeys().curve25519Base64(),
                    "their_one_time_key", otk.publicKeyBase64(),
                    "plaintexts", List.of("python pre-key", "python pre-key 2")));
            OlmMessage first = fromWire(alice.get("messages").get(0));
            OlmMessage second = fromWire(alice.get("messages").get(1));
            assertEquals(OlmMessage.Type.PRE_KEY, first.type());
            Curve25519PublicKey aliceKey = key(alice.get("curve25519"));
            try (Session session = Session.createInboundFrom(bob, aliceKey, first)) {
                assertTrue(session.matchesInboundFrom(aliceKey, second));
                assertEquals(alice.get("session_id").asText(), session.sessionId());
                assertEquals("python pre-key", text(session.decrypt(first)));
                assertEquals("python pre-key 2", text(session.decrypt(second)));
                bob.removeOneTimeKeys(session);

                OlmMessage reply = session.encrypt("java reply".getBytes(StandardCharsets.UTF_8));
                assertEquals(OlmMessage.Type.NORMAL, reply.type());
                JsonNode step = Peers.python("olm_olm.py", request("session_step",
                        "session_pickle", alice.get("session_pickle").asText(),
                        "messages", List.of(wire(reply)), "replies", List.of("python normal")));
                assertEquals(List.of("java reply"), texts(step.get("plaintexts")));
                OlmMessage normal = fromWire(step.get("replies").get(0));
                assertEquals(OlmMessage.Type.NORMAL, normal.type());
                assertEquals("python normal", text(session.decrypt(normal)));
            }
        }
    }

    @Test
    void accountPicklesAndSignaturesCrossBothWays() {
        JsonNode python = Peers.python("olm_olm.py", request("create_account", "one_time_keys", 3, "sign", "{\"a\":1}"));
        try (Account loaded = Account.fromPickle(python.get("account_pickle").asText(), PICKLE_KEY)) {
            IdentityKeys keys = loaded.identityKeys();
            assertEquals(python.get("curve25519").asText(), keys.curve25519Base64());
            assertEquals(python.get("ed25519").asText(), keys.ed25519Base64());
            List<String> ids = new ArrayList<>();
            loaded.oneTimeKeys().forEach(k -> ids.add(k.keyId() + "=" + k.publicKeyBase64()));
            List<String> expected = new ArrayList<>();
            python.get("one_time_keys").forEach(k -> expected.add(k.get("id").asText() + "=" + k.get("key").asText()));
            assertEquals(expected, ids);
            // Python's signature verifies here, and the loaded account signs identically (Ed25519 is deterministic).
            byte[] message = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
            byte[] signature = MatrixBase64.decode(python.get("signature").asText(), "signature");
            assertTrue(Ed25519.verify(keys.ed25519().bytes(), message, signature));
            assertArrayEquals(signature, loaded.sign(message));
        }
        assertThrows(OlmException.class,
                () -> Account.fromPickle(python.get("account_pickle").asText(), "not it".getBytes(StandardCharsets.UTF_8)));

        try (Account java = Account.create()) {
            java.generateOneTimeKeys(2);
            byte[] message = "signed in java".getBytes(StandardCharsets.UTF_8);
            // python3-olm reads the libolm-format export of a native account.
            JsonNode described = Peers.python("olm_olm.py", request("describe_account", "account_pickle",
                    java.toLibolmPickle(PICKLE_KEY)));
            assertEquals(java.identityKeys().curve25519Base64(), described.get("curve25519").asText());
            assertEquals(2, described.get("one_time_keys").size());
            JsonNode verified = Peers.python("olm_olm.py", Map.of("op", "verify", "key", java.identityKeys().ed25519Base64(),
                    "message", "signed in java", "signature", MatrixBase64.encode(java.sign(message))));
            assertTrue(verified.get("valid").asBoolean());
            JsonNode forged = Peers.python("olm_olm.py", Map.of("op", "verify", "key", java.identityKeys().ed25519Base64(),
                    "message", "signed in java!", "signature", MatrixBase64.encode(java.sign(message))));
            assertFalse(forged.get("valid").asBoolean());
        }
    }

    @Test
    void batchMessagesDecryptInPython() {
        PayloadTemplate template = PayloadTemplate.of("{\"type\":\"m.room_key\",\"recipient\":\"", "\"}");
        try (Account alice = Account.create()) {
            List<JsonNode> devices = new ArrayList<>();
            List<Session> sessions = new ArrayList<>();
            List<BatchEncryption.Recipient> recipients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    JsonNode bob = Peers.python("olm_olm.py", request("create_account", "one_time_keys", 1));
                    devices.add(bob);
                    Session s = Session.createOutbound(alice, key(bob.get("curve25519")),
                            key(bob.get("one_time_keys").get(0).get("key")));
                    sessions.add(s);
                    recipients.add(new BatchEncryption.Recipient(s, List.of(("@bob" + i + ":x").getBytes(StandardCharsets.UTF_8))));
                }
                List<BatchEncryption.Result> results = BatchEncryption.encrypt(template, recipients, 2);
                for (int i = 0; i < 3; i++) {
                    BatchEncryption.Result r = results.get(i);
                    JsonNode answer = Peers.python("olm_olm.py", request("inbound",
                            "account_pickle", devices.get(i).get("account_pickle").asText(),
                            "sender_key", alice.identityKeys().curve25519Base64(),
                            "messages", List.of(Map.of("type", r.type().code(), "body", r.body())),
                            "replies", List.of("ack " + i)));
                    assertEquals(List.of("{\"type\":\"m.room_key\",\"recipient\":\"@bob" + i + ":x\"}"),
                            texts(answer.get("plaintexts")));
                    assertEquals(sessions.get(i).sessionId(), answer.get("session_id").asText());
                    assertEquals("ack " + i, text(sessions.get(i).decrypt(fromWire(answer.get("replies").get(0)))));
                }
            } finally {
                sessions.forEach(Session::close);
            }
        }
    }

    @Test
    void libolmPicklesCrossBothWaysMidConversation() {
        // Python's session pickle loads here, talks, goes back as a libolm pickle, and Python goes on.
        try (Account bob = Account.create()) {
            bob.generateOneTimeKeys(1);
            JsonNode alice = Peers.python("olm_olm.py", request("outbound",
                    "their_curve25519", bob.identityKeys().curve25519Base64(),
                    "their_one_time_key", bob.oneTimeKeys().getFirst().publicKeyBase64(),
                    "plaintexts", List.of("one", "two", "three")));
            try (InboundSession in = bob.createInboundSession(key(alice.get("curve25519")),
                    fromWire(alice.get("messages").get(0)))) {
                assertEquals("one", text(in.plaintext()));
                // Message "three" first: "two" is a skipped key that has to survive both pickle formats.
                assertEquals("three", text(in.session().decrypt(fromWire(alice.get("messages").get(2)))));
                JsonNode step = Peers.python("olm_olm.py", request("session_step",
                        "session_pickle", alice.get("session_pickle").asText(),
                        "messages", List.of(wire(in.session().encrypt("java 1".getBytes(StandardCharsets.UTF_8)))),
                        "replies", List.of("python 1")));
                assertEquals(List.of("java 1"), texts(step.get("plaintexts")));
                // Bob's side goes to Python as a libolm pickle: it decrypts the skipped "two" and Alice's reply.
                JsonNode bobInPython = Peers.python("olm_olm.py", request("session_step",
                        "session_pickle", in.session().toLibolmPickle(PICKLE_KEY),
                        "messages", List.of(alice.get("messages").get(1), step.get("replies").get(0)),
                        "replies", List.of("python as bob")));
                assertEquals(List.of("two", "python 1"), texts(bobInPython.get("plaintexts")));
                // And comes back.
                try (Session back = Session.fromPickle(bobInPython.get("session_pickle").asText(), PICKLE_KEY)) {
                    assertEquals(in.session().sessionId(), back.sessionId());
                    JsonNode last = Peers.python("olm_olm.py", request("session_step",
                            "session_pickle", step.get("session_pickle").asText(),
                            "messages", List.of(bobInPython.get("replies").get(0),
                                    wire(back.encrypt("java again".getBytes(StandardCharsets.UTF_8)))),
                            "replies", List.of()));
                    assertEquals(List.of("python as bob", "java again"), texts(last.get("plaintexts")));
                }
            }
        }
    }
}
