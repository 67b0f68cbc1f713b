package org.panolm.megolm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.panolm.testsupport.Peers;

/** The native engine against python3-olm (Debian's libolm binding) as a separate process, both ways. */
class MegolmPythonInteropTest {

    private static List<String> plaintexts(Random rnd, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder("{\"type\":\"m.room.message\",\"content\":{\"body\":\"");
            int len = i % 10 == 9 ? 5000 + rnd.nextInt(60000) : rnd.nextInt(300);
            for (int k = 0; k < len; k++) sb.append((char) ('a' + rnd.nextInt(26)));
            out.add(sb.append("\u00e9\u65e5\"},\"room_id\":\"!r:x\"}").toString());
        }
        out.add("");
        return out;
    }

    @Test
    void pythonOlmDecryptsOurMessagesAndOurExport() {
        List<String> texts = plaintexts(new Random(3), 40);
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession in = MegolmInboundSession.create(out.sessionKey())) {
            String key = out.sessionKey().toBase64();
            List<String> ciphertexts = new ArrayList<>();
            for (String t : texts) ciphertexts.add(out.encrypt(t));
            JsonNode reply = Peers.python("megolm_decrypt.py", Map.of("session_key", key, "ciphertexts", ciphertexts));
            assertEquals(out.sessionId(), reply.get("session_id").asText());
            for (int i = 0; i < texts.size(); i++) {
                JsonNode m = reply.get("messages").get(i);
                assertFalse(m.has("error"), "message " + i + ": " + m);
                assertEquals(texts.get(i), m.get("plaintext").asText());
                assertEquals(i, m.get("index").asInt());
            }
            assertEquals(in.export().toBase64(), reply.get("export").asText());

            // our export at a later index, imported by python3-olm
            JsonNode later = Peers.python("megolm_decrypt.py", Map.of("exported", in.exportAt(7).toBase64(),
                    "ciphertexts", ciphertexts.subList(5, 10)));
            assertEquals(7, later.get("first_known_index").asInt());
            assertEquals("UNKNOWN_MESSAGE_INDEX", later.get("messages").get(0).get("error").asText());
            assertEquals(texts.get(7), later.get("messages").get(2).get("plaintext").asText());
            assertEquals(texts.get(9), later.get("messages").get(4).get("plaintext").asText());
        }
    }

    @Test
    void weDecryptPythonOlmMessagesAndImportItsExport() {
        List<String> texts = plaintexts(new Random(4), 30);
        JsonNode reply = Peers.python("megolm_encrypt.py", Map.of("plaintexts", texts, "export_at", 3));
        try (MegolmInboundSession in = MegolmInboundSession.create(SessionKey.fromBase64(reply.get("session_key").asText()));
             MegolmInboundSession imported = MegolmInboundSession.importSession(
                     ExportedSessionKey.fromBase64(reply.get("export").asText()))) {
            assertEquals(reply.get("session_id").asText(), in.sessionId());
            assertEquals(3, imported.firstKnownIndex());
            for (int i = 0; i < texts.size(); i++) {
                String ct = reply.get("ciphertexts").get(i).asText();
                DecryptedMessage m = in.decrypt(ct, "$e" + i, null);
                assertEquals(texts.get(i), m.plaintextUtf8());
                assertEquals(i, m.messageIndex());
                if (i >= 3) {
                    assertEquals(texts.get(i), imported.decrypt(ct).plaintextUtf8());
                }
            }
            assertEquals(reply.get("export").asText(), in.exportAt(3).toBase64());
        }
    }
}
