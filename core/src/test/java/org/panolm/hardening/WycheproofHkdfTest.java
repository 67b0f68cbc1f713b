package org.panolm.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.subtle.Kdf;

/** HKDF-SHA-256, including empty salts and the 255-block output limit (8160 bytes; 8161 is refused). */
class WycheproofHkdfTest {
    @Test
    void hkdfSha256Vectors() {
        var file = Wycheproof.load("hkdf_sha256_test.json");
        var tally = new VectorTally("HKDF-SHA-256");
        for (var c : file.cases()) {
            byte[] salt = c.hex("salt"), ikm = c.hex("ikm"), info = c.hex("info");
            int size = c.integer("size");
            if (c.valid()) {
                byte[] okm = Kdf.hkdfSha256(salt, ikm, info, size);
                if (Arrays.equals(c.hex("okm"), okm)) tally.pass(c.hasFlag("EmptySalt") ? "valid, empty salt" : "valid");
                else tally.fail(c, "wrong output key material");
            } else {
                try {
                    Kdf.hkdfSha256(salt, ikm, info, size);
                    tally.fail(c, "produced output above the HKDF limit");
                } catch (PanolmException e) {
                    if (e.status() == Status.TOO_LARGE) tally.pass("invalid, TOO_LARGE");
                    else tally.fail(c, "rejected with " + e.status() + " instead of TOO_LARGE");
                }
            }
        }
        tally.assertAllPassed(file.numberOfTests());
        assertEquals(86, file.numberOfTests());
    }
}
