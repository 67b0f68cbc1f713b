package org.panolm.hardening;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.SplittableRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.panolm.subtle.Aes;

/**
 * AES-256-CTR has no Wycheproof file: it is checked against NIST SP 800-38A (F.5.5) and, on random
 * inputs, against the JDK's provider, including counters that carry across the 64-bit boundary (full
 * 128-bit counter) and the WebCrypto 64-bit variant that wraps without carrying.
 */
class AesCtrKnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void nistSp80038aCtrAes256() {
        byte[] key = HEX.parseHex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
        byte[] iv = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
        byte[] plain = HEX.parseHex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
                + "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
        byte[] cipher = HEX.parseHex("601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
                + "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6");
        assertArrayEquals(cipher, Aes.ctr(key, iv, plain));
        assertArrayEquals(plain, Aes.ctr(key, iv, cipher));
        // The low 64 bits of this counter do not wrap within four blocks, so both variants agree.
        assertArrayEquals(cipher, Aes.ctr64(key, iv, plain));
    }

    @Test
    void ctrMatchesTheJdkOnRandomInputs() throws Exception {
        var random = new SplittableRandom(8);
        int checked = 0;
        for (int i = 0; i < 200; i++) {
            byte[] key = bytes(random, 32), iv = bytes(random, 16), input = bytes(random, random.nextInt(0, 300));
            if (i % 4 == 0) {
                // Put the low 64 bits of the counter a few blocks before they wrap.
                for (int b = 8; b < 15; b++) iv[b] = (byte) 0xff;
                iv[15] = (byte) (0xff - random.nextInt(0, 4));
            }
            assertArrayEquals(jdkCtr(key, iv, input), Aes.ctr(key, iv, input), "CTR case " + i);
            assertArrayEquals(webCryptoCtr64(key, iv, input), Aes.ctr64(key, iv, input), "CTR64 case " + i);
            checked++;
        }
        assertEquals(200, checked);
    }

    private static byte[] jdkCtr(byte[] key, byte[] iv, byte[] input) throws Exception {
        Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        return c.doFinal(input);
    }

    /** WebCrypto's {@code length: 64}: each block's counter is the IV with only its low 64 bits incremented. */
    private static byte[] webCryptoCtr64(byte[] key, byte[] iv, byte[] input) throws Exception {
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        byte[] out = new byte[input.length];
        long low = java.nio.ByteBuffer.wrap(iv, 8, 8).getLong();
        byte[] block = iv.clone();
        for (int off = 0; off < input.length; off += 16, low++) {
            java.nio.ByteBuffer.wrap(block, 8, 8).putLong(low);
            byte[] ks = ecb.doFinal(block);
            for (int j = 0; j < 16 && off + j < input.length; j++) out[off + j] = (byte) (input[off + j] ^ ks[j]);
        }
        return out;
    }

    private static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
