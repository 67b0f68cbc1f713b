package org.panolm.hardening;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.subtle.X25519;

/**
 * X25519 key agreement. "Acceptable" cases are handled by what they produce: when the expected secret is
 * all zero (low-order and zero-shared-secret public keys) panolm must refuse with {@code NON_CONTRIBUTORY};
 * otherwise (twist points, non-canonical encodings) RFC 7748 defines the result and it must match.
 */
class WycheproofX25519Test {
    @Test
    void x25519Vectors() {
        var file = Wycheproof.load("x25519_test.json");
        var tally = new VectorTally("X25519");
        for (var c : file.cases()) {
            byte[] priv = c.hex("private"), pub = c.hex("public"), expected = c.hex("shared");
            boolean zero = Arrays.equals(expected, new byte[32]);
            try {
                byte[] shared = X25519.sharedSecret(priv, pub);
                if (zero) tally.fail(c, "returned the all-zero secret instead of refusing");
                else if (!Arrays.equals(expected, shared)) tally.fail(c, "wrong shared secret");
                else tally.pass(c.result());
            } catch (PanolmException e) {
                if (zero && e.status() == Status.NON_CONTRIBUTORY) tally.pass(c.result() + ", low order refused");
                else tally.fail(c, "refused with " + e.status());
            }
        }
        tally.assertAllPassed(file.numberOfTests());
    }
}
