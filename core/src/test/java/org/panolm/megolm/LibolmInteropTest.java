package org.panolm.megolm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.panolm.encoding.MatrixBase64;
import org.panolm.olm.OlmError;
import org.panolm.olm.OlmException;
import org.panolm.testsupport.Peers;

/** Megolm through libolm against python3-olm (interop/python/olm_megolm.py), both directions, pickles and exports. */
class LibolmInteropTest {
    private static final String PASSPHRASE = "megolm interop passphrase";
    private static final byte[] PICKLE_KEY = PASSPHRASE.getBytes(StandardCharsets.UTF_8);
    private static final List<String> PLAINTEXTS = List.of(
            "{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"zero\"},\"room_id\":\"!r:x\"}",
            "one ✓", "two");

    private static Map<String, Object> request(String op, Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", op);
        m.put("passphrase", PASSPHRASE);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isNull() ? null : n.asText()));
        return out;
    }

    @Test
    void javaEncryptsPythonDecrypts() {
        try (LibolmOutboundGroupSession out = LibolmOutboundGroupSession.create()) {
            SessionKey key = out.sessionKey();
            List<String> messages = new ArrayList<>();
            for (String p : PLAINTEXTS) {
                messages.add(MatrixBase64.encode(out.encrypt(p.getBytes(StandardCharsets.UTF_8))));
            }
            JsonNode py = Peers.python("olm_megolm.py", request("inbound", "session_key", key.toBase64(),
                    "messages", messages, "export_at", 1));
            assertEquals(PLAINTEXTS, texts(py.get("plaintexts")));
            assertEquals("[0,1,2]", py.get("indices").toString());
            assertEquals(out.sessionId(), py.get("session_id").asText());

            // Python's export at 1 loads here: index 0 is out of reach, 1 and 2 decrypt.
            try (LibolmInboundGroupSession imported = LibolmInboundGroupSession.importSession(
                    ExportedSessionKey.fromBase64(py.get("export").asText()))) {
                assertEquals(1, imported.firstKnownIndex());
                assertFalse(imported.isVerified());
                assertEquals(OlmError.UNKNOWN_MESSAGE_INDEX, assertThrows(OlmException.class,
                        () -> imported.decrypt(MatrixBase64.decode(messages.get(0), "m"))).error());
                assertEquals("two", imported.decrypt(MatrixBase64.decode(messages.get(2), "m")).plaintextUtf8());
            }
            // Python's inbound pickle loads here.
            try (LibolmInboundGroupSession loaded = LibolmInboundGroupSession.fromPickle(py.get("pickle").asText(), PICKLE_KEY)) {
                DecryptedMessage m = loaded.decrypt(MatrixBase64.decode(messages.get(1), "m"));
                assertEquals("one ✓", m.plaintextUtf8());
                assertEquals(1, m.messageIndex());
            }
            // Java's export loads in Python, which then cannot read below it.
            try (LibolmInboundGroupSession in = LibolmInboundGroupSession.create(key)) {
                JsonNode fromExport = Peers.python("olm_megolm.py", request("inbound",
                        "exported_key", in.export(2).toBase64(), "messages", messages));
                assertEquals(Arrays.asList(null, null, "two"), texts(fromExport.get("plaintexts")));
                assertTrue(fromExport.get("errors").get(0).asText().contains("UNKNOWN_MESSAGE_INDEX"));
                assertEquals(2, fromExport.get("first_known_index").asInt());

                // And Java's inbound pickle loads in Python.
                JsonNode fromPickle = Peers.python("olm_megolm.py", request("inbound",
                        "inbound_pickle", in.pickle(PICKLE_KEY), "messages", messages));
                assertEquals(PLAINTEXTS, texts(fromPickle.get("plaintexts")));
            }
        }
    }

    @Test
    void pythonEncryptsJavaDecrypts() {
        JsonNode py = Peers.python("olm_megolm.py", request("outbound", "plaintexts", PLAINTEXTS, "export_at", 0));
        List<byte[]> messages = new ArrayList<>();
        py.get("messages").forEach(m -> messages.add(MatrixBase64.decode(m.asText(), "message")));
        try (LibolmInboundGroupSession in = LibolmInboundGroupSession.create(SessionKey.fromBase64(py.get("session_key").asText()))) {
            assertEquals(py.get("session_id").asText(), in.sessionId());
            assertTrue(in.isVerified());
            for (int i = 0; i < PLAINTEXTS.size(); i++) {
                DecryptedMessage m = in.decrypt(messages.get(i));
                assertEquals(PLAINTEXTS.get(i), m.plaintextUtf8());
                assertEquals(i, m.messageIndex());
            }
            // Exports are deterministic: ours equals libolm-in-Python's byte for byte.
            assertEquals(py.get("export").asText(), in.export(0).toBase64());
        }
        // Python's outbound pickle loads here and continues the ratchet where Python left it.
        try (LibolmOutboundGroupSession out = LibolmOutboundGroupSession.fromPickle(py.get("outbound_pickle").asText(), PICKLE_KEY);
             LibolmInboundGroupSession in = LibolmInboundGroupSession.fromPickle(py.get("inbound_pickle").asText(), PICKLE_KEY)) {
            assertEquals(py.get("session_id").asText(), out.sessionId());
            assertEquals(3, out.messageIndex());
            DecryptedMessage m = in.decrypt(out.encrypt("three".getBytes(StandardCharsets.UTF_8)));
            assertEquals("three", m.plaintextUtf8());
            assertEquals(3, m.messageIndex());
            assertEquals(PLAINTEXTS.get(0), in.decrypt(messages.get(0)).plaintextUtf8());
        }
        assertEquals(OlmError.BAD_ACCOUNT_KEY, assertThrows(OlmException.class,
                () -> LibolmOutboundGroupSession.fromPickle(py.get("outbound_pickle").asText(), "wrong".getBytes(StandardCharsets.UTF_8))).error());
    }
}
