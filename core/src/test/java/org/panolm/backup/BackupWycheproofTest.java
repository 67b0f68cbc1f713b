package org.panolm.backup;

import static java.lang.foreign.MemorySegment.ofArray;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_backup_h;
import org.panolm.encoding.MatrixBase64;
import org.panolm.subtle.Aes;
import org.panolm.subtle.Kdf;
import org.panolm.subtle.Mac;
import org.panolm.hardening.Wycheproof;

/**
 * Wycheproof's X25519 cases driven through the backup scheme itself: each case's private key serves as
 * the backup key (decryption) or the ephemeral key (encryption), and the entry the file's expected secret
 * implies must be exactly what panolm produces or accepts. All-zero secrets must be refused.
 */
class BackupWycheproofTest {
    private static final byte[] PLAINTEXT = "{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"session_key\":\"k\"}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void everyX25519CaseThroughBackupEncryptionAndDecryption() throws Exception {
        var cases = Wycheproof.x25519();
        List<String> failures = new ArrayList<>();
        int refused = 0;
        for (var c : cases) {
            byte[] priv = c.privateKey(), pub = c.publicKey(), secret = c.expectedSecret();
            String id = "tcId " + c.source().id();
            boolean zero = c.lowOrder();
            byte[] okm = Kdf.hkdfSha256(new byte[0], secret, new byte[0], 80);
            byte[] aes = Arrays.copyOfRange(okm, 0, 32), iv = Arrays.copyOfRange(okm, 64, 80);
            byte[] mac = Arrays.copyOf(Mac.hmacSha256(Arrays.copyOfRange(okm, 32, 64), new byte[0]), 8);
            byte[] ct = Aes.cbcEncrypt(aes, iv, PLAINTEXT);

            // Decryption: backup private key = priv, ephemeral = pub.
            try (var key = BackupDecryptionKey.fromBytes(priv)) {
                var back = key.decrypt(new SessionData(MatrixBase64.encode(pub), MatrixBase64.encode(ct),
                        MatrixBase64.encode(mac)));
                if (zero) failures.add(id + ": decrypted with an all-zero secret");
                else if (!"k".equals(back.sessionKey())) failures.add(id + ": wrong plaintext");
            } catch (PanolmException e) {
                if (zero && e.status() == Status.NON_CONTRIBUTORY) refused++;
                else failures.add(id + ": decryption refused with " + e.status());
            }

            // Encryption: backup public key = pub, ephemeral private key = priv.
            byte[] eph = new byte[32], outCt = new byte[ct.length], outMac = new byte[8];
            long[] len = new long[1];
            int rc = panolm_backup_h.panolm_backup_encrypt_with_ephemeral(ofArray(pub), ofArray(priv),
                    ofArray(PLAINTEXT), PLAINTEXT.length, ofArray(eph), ofArray(outCt), outCt.length, ofArray(len),
                    ofArray(outMac));
            if (zero) {
                if (rc != Status.NON_CONTRIBUTORY.code()) failures.add(id + ": encryption gave " + rc);
            } else if (rc != 0 || !Arrays.equals(ct, outCt) || !Arrays.equals(mac, outMac)) {
                failures.add(id + ": encryption differs (status " + rc + ")");
            }
        }
        assertTrue(cases.size() > 500, "the whole X25519 file: " + cases.size());
        assertEquals(List.of(), failures);
        assertTrue(refused > 0, "the file has low-order cases, and they were refused");
    }
}
