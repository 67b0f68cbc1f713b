package org.panolm.pk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.hardening.Wycheproof;

/**
 * Wycheproof's X25519 edge cases as PK recipient keys: libolm itself would encrypt to any of them, so
 * panolm must refuse exactly those whose shared secret is all-zero (low-order points, including their
 * non-canonical encodings) and accept every other one (twist points, non-canonical but usable keys).
 */
class PkWycheproofTest {
    @Test
    void exactlyTheZeroSharedSecretKeysAreRefused() throws Exception {
        JsonNode root = new ObjectMapper().readTree(Wycheproof.folder().resolve("x25519_test.json").toFile());
        assertEquals(518, root.get("numberOfTests").asInt());
        int refused = 0;
        int accepted = 0;
        for (JsonNode group : root.get("testGroups")) {
            for (JsonNode test : group.get("tests")) {
                byte[] publicKey = HexFormat.of().parseHex(test.get("public").asText());
                if (publicKey.length != 32) continue;
                String id = "tcId " + test.get("tcId").asInt();
                if (test.get("shared").asText().equals("0".repeat(64))) {
                    var e = assertThrows(PanolmException.class, () -> PkEncryption.forRecipient(publicKey), id);
                    assertEquals(Status.NON_CONTRIBUTORY, e.status(), id);
                    refused++;
                } else {
                    try (PkEncryption encryption = PkEncryption.forRecipient(publicKey)) {
                        assertEquals(16, encryption.encrypt(new byte[5]).ciphertext().length, id);
                    }
                    accepted++;
                }
            }
        }
        assertEquals(518, refused + accepted);
        assertTrue(refused >= 30, "refused only " + refused);
    }
}
