package org.panolm.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.subtle.Aes;

/**
 * AES-CBC with PKCS#5/7 padding. panolm has AES-256 only, so the 72 vectors with 256-bit keys are run
 * both ways; the 128- and 192-bit groups only show that other key sizes are refused as {@code BAD_KEY}.
 */
class WycheproofAesCbcTest {
    @Test
    void aes256CbcVectors() {
        var file = Wycheproof.load("aes_cbc_pkcs5_test.json");
        var tally = new VectorTally("AES-256-CBC-PKCS7");
        var otherSizes = new VectorTally("AES-128/192-CBC refused");
        for (var c : file.cases()) {
            byte[] key = c.hex("key"), iv = c.hex("iv"), msg = c.hex("msg"), ct = c.hex("ct");
            if (c.groupInt("keySize") != 256) {
                var e = assertThrows(PanolmException.class, () -> Aes.cbcDecrypt(key, iv, ct), c.label());
                assertEquals(Status.BAD_KEY, e.status(), c.label());
                otherSizes.pass("refused");
                continue;
            }
            if (c.valid()) {
                byte[] plain = Aes.cbcDecrypt(key, iv, ct);
                byte[] again = Aes.cbcEncrypt(key, iv, msg);
                if (!Arrays.equals(msg, plain)) tally.fail(c, "decrypts to the wrong plaintext");
                else if (!Arrays.equals(ct, again)) tally.fail(c, "encrypts to the wrong ciphertext");
                else tally.pass("valid");
            } else {
                // BadPadding and NoPadding: every one must fail unpadding, never return bytes.
                try {
                    Aes.cbcDecrypt(key, iv, ct);
                    tally.fail(c, "accepted a ciphertext with bad padding");
                } catch (PanolmException e) {
                    if (e.status() == Status.BAD_PADDING) tally.pass("invalid, BAD_PADDING");
                    else tally.fail(c, "rejected with " + e.status() + " instead of BAD_PADDING");
                }
            }
        }
        tally.assertAllPassed(72);
        otherSizes.assertAllPassed(144);
    }
}
