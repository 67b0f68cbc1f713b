package org.panolm.pk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.hardening.Wycheproof;

/**
 * Wycheproof's X25519 edge cases as PK recipient keys: libolm itself would encrypt to any of them, so
 * panolm must refuse exactly those whose Diffie-Hellman result is all-zero (low-order points, including their
 * non-canonical encodings) and accept every other one (twist points, non-canonical but usable keys).
 */
class PkWycheproofTest {
    @Test
    void exactlyTheLowOrderKeysAreRefused() throws Exception {
        var cases = Wycheproof.x25519();
        assertEquals(518, cases.size());
        int refused = 0;
        int accepted = 0;
        for (var c : cases) {
            byte[] publicKey = c.publicKey();
            String id = "tcId " + c.source().id();
            if (c.lowOrder()) {
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
        assertEquals(518, refused + accepted);
        assertTrue(refused >= 30, "refused only " + refused);
    }
}
