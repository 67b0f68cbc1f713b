package org.panolm.subtle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;

/** Known answers from the RFCs and from the Matrix spec's test vectors. */
class PrimitivesTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void x25519Rfc7748() {
        byte[] alice = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bob = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        assertEquals("hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo", MatrixBase64.encode(X25519.publicKey(alice)));
        assertEquals("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
                HEX.formatHex(X25519.sharedSecret(alice, X25519.publicKey(bob))));
        var e = assertThrows(PanolmException.class, () -> X25519.sharedSecret(alice, new byte[32]));
        assertEquals(Status.NON_CONTRIBUTORY, e.status());
    }

    @Test
    void ed25519MatrixSpecSigningVector() {
        byte[] seed = MatrixBase64.decode("YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA0", "seed");
        assertEquals("XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI", MatrixBase64.encode(Ed25519.publicKey(seed)));
        byte[] sig = Ed25519.sign(seed, "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals("K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ",
                MatrixBase64.encode(sig));
        assertTrue(Ed25519.verify(Ed25519.publicKey(seed), "{}".getBytes(StandardCharsets.UTF_8), sig));
        sig[5] ^= 1;
        assertFalse(Ed25519.verify(Ed25519.publicKey(seed), "{}".getBytes(StandardCharsets.UTF_8), sig));
    }

    @Test
    void hkdfRfc5869Case1() {
        byte[] okm = Kdf.hkdfSha256(HEX.parseHex("000102030405060708090a0b0c"),
                HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);
        assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865", HEX.formatHex(okm));
    }

    @Test
    void megolmKeyDerivationOfTheSpecNotesVector() {
        byte[] ratchet = new byte[128];
        for (int i = 0; i < 128; i++) ratchet[i] = (byte) i;
        byte[] okm = Kdf.hkdfSha256(new byte[0], ratchet, "MEGOLM_KEYS".getBytes(StandardCharsets.US_ASCII), 80);
        assertEquals("936418041488c70ca7a6fb8c6ffac0020eeca7356ed04f06ca84ace81776e2b6", HEX.formatHex(okm, 0, 32));
        assertEquals("42e91ecaab5792d4ec020e9411e97e27", HEX.formatHex(okm, 64, 80));
    }

    @Test
    void hmacRfc4231Case2() {
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                HEX.formatHex(Mac.hmacSha256("Jefe".getBytes(StandardCharsets.US_ASCII),
                        "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void aesCbcRoundTripAndStrictPadding() {
        byte[] key = new byte[32];
        byte[] iv = new byte[16];
        for (int n = 0; n < 40; n++) {
            byte[] pt = new byte[n];
            byte[] ct = Aes.cbcEncrypt(key, iv, pt);
            assertEquals(n - n % 16 + 16, ct.length);
            assertArrayEquals(pt, Aes.cbcDecrypt(key, iv, ct));
        }
        byte[] ct = Aes.cbcEncrypt(key, iv, new byte[5]);
        ct[15] ^= 1; // last block decrypts to garbage padding
        assertEquals(Status.BAD_PADDING, assertThrows(PanolmException.class, () -> Aes.cbcDecrypt(key, iv, ct)).status());
    }

    @Test
    void ctr64WrapsTheLowHalfOnly() throws Exception {
        byte[] key = new byte[32];
        byte[] iv = HEX.parseHex("0000000000000001ffffffffffffffff");
        byte[] data = new byte[48];
        byte[] jdk = new byte[48];
        var c = javax.crypto.Cipher.getInstance("AES/CTR/NoPadding");
        // Block 0 uses the IV, block 1 the low half wrapped to 0 with no carry: ...0001 0000...0.
        c.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
                new javax.crypto.spec.IvParameterSpec(iv));
        System.arraycopy(c.doFinal(new byte[16]), 0, jdk, 0, 16);
        c.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
                new javax.crypto.spec.IvParameterSpec(HEX.parseHex("00000000000000010000000000000000")));
        System.arraycopy(c.doFinal(new byte[32]), 0, jdk, 16, 32);
        assertArrayEquals(jdk, Aes.ctr64(key, iv, data));
    }

    @Test
    void pbkdf2Sha512MatchesTheJdk() throws Exception {
        var f = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512");
        byte[] expected = f.generateSecret(new javax.crypto.spec.PBEKeySpec("pässword".toCharArray(),
                "salt".getBytes(StandardCharsets.UTF_8), 1000, 256)).getEncoded();
        assertArrayEquals(expected, Kdf.pbkdf2Sha512("pässword".getBytes(StandardCharsets.UTF_8),
                "salt".getBytes(StandardCharsets.UTF_8), 1000, 32));
    }
}
