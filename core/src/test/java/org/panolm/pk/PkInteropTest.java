package org.panolm.pk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.panolm.encoding.MatrixBase64;
import org.panolm.testsupport.Peers;

/** PK encryption and signing against python3-olm (interop/python/olm_pk.py), pickles included. */
class PkInteropTest {
    private static final String PASSPHRASE = "pk interop passphrase";
    private static final List<String> PLAINTEXTS = List.of("", "{\"session_key\":\"AQAAAA…\"}", "x".repeat(100));

    @Test
    void pythonEncryptsJavaDecryptsWithPythonsPickledKey() {
        JsonNode created = Peers.python("olm_pk.py", Map.of("op", "create", "passphrase", PASSPHRASE));
        JsonNode encrypted = Peers.python("olm_pk.py", Map.of("op", "encrypt",
                "recipient", created.get("public_key").asText(), "plaintexts", PLAINTEXTS));
        try (PkDecryption decryption = PkDecryption.fromPickle(created.get("pickle").asText(),
                PASSPHRASE.getBytes(StandardCharsets.UTF_8))) {
            assertEquals(created.get("public_key").asText(), MatrixBase64.encode(decryption.publicKey()));
            List<String> plaintexts = new ArrayList<>();
            for (JsonNode m : encrypted.get("messages")) {
                PkMessage message = PkMessage.fromBase64(m.get("ephemeral").asText(), m.get("mac").asText(),
                        m.get("ciphertext").asText());
                plaintexts.add(new String(decryption.decrypt(message), StandardCharsets.UTF_8));
            }
            assertEquals(PLAINTEXTS, plaintexts);
        }
    }

    @Test
    void javaEncryptsPythonDecryptsWithJavasPickledKey() {
        try (PkDecryption decryption = PkDecryption.generate();
             PkEncryption encryption = PkEncryption.forRecipient(decryption.publicKey())) {
            List<Map<String, String>> messages = new ArrayList<>();
            for (String p : PLAINTEXTS) {
                PkMessage m = encryption.encrypt(p.getBytes(StandardCharsets.UTF_8));
                messages.add(Map.of("ephemeral", m.ephemeralKeyBase64(), "mac", m.macBase64(), "ciphertext", m.ciphertextBase64()));
            }
            JsonNode answer = Peers.python("olm_pk.py", Map.of("op", "decrypt", "passphrase", PASSPHRASE,
                    "pickle", decryption.toLibolmPickle(PASSPHRASE.getBytes(StandardCharsets.UTF_8)), "messages", messages));
            assertEquals(MatrixBase64.encode(decryption.publicKey()), answer.get("public_key").asText());
            List<String> plaintexts = new ArrayList<>();
            answer.get("plaintexts").forEach(n -> plaintexts.add(n.asText()));
            assertEquals(PLAINTEXTS, plaintexts);
        }
    }

    @Test
    void signingAgreesByteForByte() {
        byte[] seed = PkSigning.generateSeed();
        String message = "{\"keys\":{},\"usage\":[\"master\"],\"user_id\":\"@a:b\"}";
        JsonNode py = Peers.python("olm_pk.py", Map.of("op", "sign", "seed", MatrixBase64.encode(seed), "message", message));
        try (PkSigning signing = PkSigning.fromSeed(seed)) {
            assertEquals(py.get("public_key").asText(), MatrixBase64.encode(signing.publicKey()));
            assertEquals(py.get("signature").asText(),
                    MatrixBase64.encode(signing.sign(message.getBytes(StandardCharsets.UTF_8))));
        }
    }
}
