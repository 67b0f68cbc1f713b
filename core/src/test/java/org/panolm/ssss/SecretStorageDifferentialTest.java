package org.panolm.ssss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

/**
 * Secret-storage items computed from the JDK's own HMAC and AES-CTR (docs/formats.md §5.3 written out) must
 * equal panolm's native ones, on random keys, names, IVs (bit 63 clear) and lengths.
 */
class SecretStorageDifferentialTest {
    private static byte[] hmac(byte[] key, byte[]... parts) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        for (byte[] p : parts) {
            mac.update(p);
        }
        return mac.doFinal();
    }

    @Test
    void agreesWithTheJdk() throws Exception {
        SplittableRandom random = new SplittableRandom(20261123);
        for (int round = 0; round < 200; round++) {
            byte[] key = new byte[32];
            byte[] iv = new byte[16];
            byte[] plaintext = new byte[random.nextInt(0, 700)];
            random.nextBytes(key);
            random.nextBytes(iv);
            random.nextBytes(plaintext);
            iv[8] &= 0x7f;
            String name = "m.secret." + Integer.toHexString(random.nextInt());
            // HKDF-SHA-256, salt 32 zero bytes, info = name, 64 bytes.
            byte[] prk = hmac(new byte[32], key);
            byte[] t1 = hmac(prk, name.getBytes(StandardCharsets.UTF_8), new byte[] {1});
            byte[] t2 = hmac(prk, t1, name.getBytes(StandardCharsets.UTF_8), new byte[] {2});
            Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
            ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(t1, "AES"), new IvParameterSpec(iv));
            byte[] ciphertext = ctr.doFinal(plaintext);
            byte[] mac = hmac(t2, ciphertext);
            try (SecretStorageKey k = SecretStorageKey.fromBytes(key)) {
                EncryptedSecret ours = SecretStorage.encrypt(k, name, plaintext, iv);
                Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
                assertEquals(new EncryptedSecret(b64.encodeToString(iv), b64.encodeToString(ciphertext), b64.encodeToString(mac)),
                        ours, "round " + round);
                assertArrayEquals(plaintext, SecretStorage.decrypt(k, name, ours));
            }
        }
    }
}
