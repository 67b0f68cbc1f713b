package org.panolm.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.panolm.subtle.Kdf;

/**
 * PBKDF2-HMAC-SHA-512, the {@code m.pbkdf2} passphrase derivation. Every vector of the file runs: they
 * use 4096 iterations. A future file with very high counts would take minutes per vector, so cases above
 * {@link #MAX_ITERATIONS} would fail the count check below rather than slow the suite silently.
 */
class WycheproofPbkdf2Test {
    static final int MAX_ITERATIONS = 100_000;

    @Test
    void pbkdf2HmacSha512Vectors() {
        var file = Wycheproof.load("pbkdf2_hmacsha512_test.json");
        var tally = new VectorTally("PBKDF2-HMAC-SHA-512");
        int tooSlow = 0;
        for (var c : file.cases()) {
            int iterations = c.integer("iterationCount");
            if (iterations > MAX_ITERATIONS) {
                tooSlow++;
                continue;
            }
            byte[] dk = Kdf.pbkdf2Sha512(c.hex("password"), c.hex("salt"), iterations, c.integer("dkLen"));
            boolean equal = Arrays.equals(c.hex("dk"), dk);
            if (c.valid() == equal) tally.pass(c.valid() ? "valid" : "invalid");
            else tally.fail(c, "derived key differs");
        }
        assertEquals(0, tooSlow, "vectors above " + MAX_ITERATIONS + " iterations were not run");
        tally.assertAllPassed(file.numberOfTests());
    }
}
