package org.panolm.ssss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.panolm.PanolmException;
import org.panolm.subtle.Kdf;
import org.panolm.subtle.Mac;
import org.panolm.testing.Peer;

/**
 * Wycheproof vectors for the native primitives under secret storage, m.pbkdf2 and the export file:
 * PBKDF2-HMAC-SHA-512 (its salts are raw bytes, mostly not UTF-8, so they go to the primitive, not through
 * {@code PassphraseInfo}), HKDF-SHA-256 and HMAC-SHA-256.
 */
class SecretsWycheproofTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    /** The shared vectors sit beside the repository; a worktree may be nested one level deeper. */
    private static JsonNode vectors(String name) throws IOException {
        for (Path dir = Peer.root(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolveSibling("shared").resolve("vectors/wycheproof").resolve(name);
            if (java.nio.file.Files.isRegularFile(file)) {
                return JSON.readTree(file.toFile());
            }
        }
        return org.junit.jupiter.api.Assertions.fail("shared/vectors/wycheproof/" + name + " not found beside the repository");
    }

    @Test
    void pbkdf2HmacSha512() throws IOException {
        int all = 0;
        for (JsonNode group : vectors("pbkdf2_hmacsha512_test.json").get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                byte[] password = HEX.parseHex(t.get("password").asText());
                byte[] salt = HEX.parseHex(t.get("salt").asText());
                int iterations = t.get("iterationCount").asInt();
                int dkLen = t.get("dkLen").asInt();
                byte[] dk = HEX.parseHex(t.get("dk").asText());
                assertEquals("valid", t.get("result").asText());
                assertArrayEquals(dk, Kdf.pbkdf2Sha512(password, salt, iterations, dkLen), "tcId " + t.get("tcId"));
                all++;
            }
        }
        assertEquals(58, all);
    }

    @Test
    void hkdfSha256() throws IOException {
        int n = 0;
        for (JsonNode group : vectors("hkdf_sha256_test.json").get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                byte[] ikm = HEX.parseHex(t.get("ikm").asText());
                byte[] salt = HEX.parseHex(t.get("salt").asText());
                byte[] info = HEX.parseHex(t.get("info").asText());
                int size = t.get("size").asInt();
                if (t.get("result").asText().equals("valid")) {
                    assertArrayEquals(HEX.parseHex(t.get("okm").asText()), Kdf.hkdfSha256(salt, ikm, info, size),
                            "tcId " + t.get("tcId"));
                } else {
                    assertThrows(PanolmException.class, () -> Kdf.hkdfSha256(salt, ikm, info, size), "tcId " + t.get("tcId"));
                }
                n++;
            }
        }
        assertTrue(n > 50);
    }

    @Test
    void hmacSha256() throws IOException {
        int n = 0;
        for (JsonNode group : vectors("hmac_sha256_test.json").get("testGroups")) {
            int tagBytes = group.get("tagSize").asInt() / 8;
            for (JsonNode t : group.get("tests")) {
                byte[] tag = Arrays.copyOf(Mac.hmacSha256(HEX.parseHex(t.get("key").asText()),
                        HEX.parseHex(t.get("msg").asText())), tagBytes);
                boolean same = Arrays.equals(HEX.parseHex(t.get("tag").asText()), tag);
                if (t.get("result").asText().equals("valid")) {
                    assertTrue(same, "tcId " + t.get("tcId"));
                } else {
                    assertFalse(same, "tcId " + t.get("tcId"));
                }
                n++;
            }
        }
        assertTrue(n > 100);
    }
}
