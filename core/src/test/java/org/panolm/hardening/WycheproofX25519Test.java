package org.panolm.hardening;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.subtle.X25519;

/**
 * X25519 key agreement. "Acceptable" cases are handled by what they produce: when the expected secret is
 * all zero (low-order public keys) panolm must refuse with {@code NON_CONTRIBUTORY};
 * otherwise (twist points, non-canonical encodings) RFC 7748 defines the result and it must match.
 */
class WycheproofX25519Test {
    @Test
    void x25519Vectors() {
        var cases = Wycheproof.x25519();
        var tally = new VectorTally("X25519");
        for (var x : cases) {
            var c = x.source();
            boolean zero = x.lowOrder();
            try {
                byte[] secret = X25519.sharedSecret(x.privateKey(), x.publicKey());
                if (zero) tally.fail(c, "returned the all-zero secret instead of refusing");
                else if (!Arrays.equals(x.expectedSecret(), secret)) tally.fail(c, "wrong secret");
                else tally.pass(c.result());
            } catch (PanolmException e) {
                if (zero && e.status() == Status.NON_CONTRIBUTORY) tally.pass(c.result() + ", low order refused");
                else tally.fail(c, "refused with " + e.status());
            }
        }
        tally.assertAllPassed(cases.size());
    }
}
