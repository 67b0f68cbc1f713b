package org.panolm.pk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.olm.OlmError;
import org.panolm.olm.OlmException;
import org.panolm.subtle.Kdf;
import org.panolm.subtle.Mac;
import org.panolm.subtle.X25519;

/** PK encryption and decryption over libolm: vectors of docs/formats.md §10.3 and §10.7, round trips, errors. */
class PkTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] ALICE = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    private static final byte[] BOB = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    private static final String ALICE_PUBLIC = "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void roundTripsAtEveryPaddingLength() {
        try (PkDecryption decryption = PkDecryption.generate();
             PkEncryption encryption = PkEncryption.forRecipient(decryption.publicKey())) {
            for (int n = 0; n <= 40; n++) {
                byte[] plaintext = new byte[n];
                Arrays.fill(plaintext, (byte) ('a' + n % 26));
                PkMessage message = encryption.encrypt(plaintext);
                assertEquals(8, message.mac().length);
                assertEquals((n / 16 + 1) * 16, message.ciphertext().length);
                assertArrayEquals(plaintext, decryption.decrypt(message), "length " + n);
            }
            PkMessage a = encryption.encrypt(utf8("same"));
            PkMessage b = encryption.encrypt(utf8("same"));
            assertFalse(Arrays.equals(a.ephemeralKey(), b.ephemeralKey()), "a fresh ephemeral key per message");
        }
    }

    @Test
    void privateKeyExportAndImport() {
        try (PkDecryption original = PkDecryption.generate();
             PkDecryption copy = PkDecryption.fromPrivateKey(original.privateKey())) {
            assertArrayEquals(original.publicKey(), copy.publicKey());
            assertArrayEquals(X25519.publicKey(original.privateKey()), original.publicKey());
        }
        try (PkDecryption alice = PkDecryption.fromPrivateKey(ALICE)) {
            assertEquals(ALICE_PUBLIC, MatrixBase64.encode(alice.publicKey()));
            assertArrayEquals(ALICE, alice.privateKey());
        }
        assertEquals(Status.BAD_KEY, assertThrows(PanolmException.class, () -> PkDecryption.fromPrivateKey(new byte[31])).status());
    }

    /** matrix-rust-sdk backups test_decrypt_key. */
    @Test
    void rustSdkBackupVector() {
        byte[] privateKey = MatrixBase64.decode("Ha9cklU/9NqFo9WKdVfGzmqUL/9wlkdxfEitbSIPVXw", "key");
        PkMessage message = PkMessage.fromBase64("HlLi76oV6wxHz3PCqE/bxJi6yF1HnYz5Dq3T+d/KpRw", "GtMrurhDTwo",
                "MuM8E3Yc6TSAvhVGb77rQ++jE6p9dRepx63/3YPD2wACKAppkZHeFrnTH6wJ/HSyrmzo7HfwqVl6tKNpfooSTHqUf6x1LHz+h4B/Id5ITO1WYt16AaI40LOnZqTkJZCfSPuE2oxalwEHnCS3biWybutcnrBFPR3LMtaeHvvkb+k3ny9l5ZpsU9G7vCm3XoeYkWfLekWXvDhbqWrylXD0+CNUuaQJ/S527TzLd4XKctqVjjO/cCH7q+9utt9WJAfK8LGaWT/mZ3AeWjf5kiqOpKKf5Cn4n5SSil5p/pvGYmjnURvZSEeQIzHgvunIBEPtzK/MYEPOXe/P5achNGlCx+5N19Ftyp9TFaTFlTWCTi0mpD7ePfCNISrwpozAz9HZc0OhA8+1aSc7rhYFIeAYXFU326NuFIFHI5pvpSxjzPQlOA+mavIKmiRAtjlLw11IVKTxgrdT4N8lXeMr4ndCSmvIkAzFMo1uZA4fzjiAdQJE4/2WeXFNNpvdfoYmX8Zl9CAYjpSO5HvpwkAbk4/iLEH3hDfCVUwDfMh05PdGLnxeRpiEFWSMSsJNp+OWAA+5JsF41BoRGrxoXXT+VKqlUDONd+O296Psu8Q+d8/S618");
        try (PkDecryption decryption = PkDecryption.fromPrivateKey(privateKey)) {
            assertEquals("6Q6b15s4YM2jCs38pHiN8wiRkiuCcvpsM9S3/qm31Co", MatrixBase64.encode(decryption.publicKey()));
            String plaintext = new String(decryption.decrypt(message), StandardCharsets.UTF_8);
            assertTrue(plaintext.startsWith("{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"sender_key\":\"wREG/hBdSspoqM9xPCEXd/4YwjpBFXlsobRkyDTo/Q8\""), plaintext);
            assertTrue(plaintext.endsWith("\"sender_claimed_keys\":{\"ed25519\":\"MnNLGwn4j9ArCvtgU6o1jG8TgJaEXQpDTxz7QU0h7GM\"},\"forwarding_curve25519_key_chain\":[]}"));
        }
    }

    /** Backup private = RFC 7748 Alice, ephemeral = RFC 7748 Bob: encryption is deterministic. */
    @Test
    void fixedInputVectorIsReproducedByteForByte() {
        String plaintext = "{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"forwarding_curve25519_key_chain\":[],\"sender_claimed_keys\":{},\"sender_key\":\"\",\"session_key\":\"\"}";
        String ciphertext = "9lq9DgATQh0Ey5ZaVGHfoeMtfpavaYtV17dAmUZKJ5KE2zq6WJ3ZNxzSc7vBLxZ92LDrQYg628RcotpdEqWh6K8IFGIxibaj6emMBbPWgEVA8g3wFdH9ba1L3UZQ1q11zhTuT3JMT2iLCjuXW9tTHXeLvsTu37vbyHdlZSK6RXMVSQQl6iVoGhL27Zu+pART";
        try (PkEncryption encryption = PkEncryption.forRecipient(MatrixBase64.decode(ALICE_PUBLIC, "key"))) {
            PkMessage message = encryption.encrypt(utf8(plaintext), BOB);
            assertEquals("3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08", message.ephemeralKeyBase64());
            assertEquals("zpzU6BkZcNI", message.macBase64());
            assertEquals(ciphertext, message.ciphertextBase64());
        }
        try (PkDecryption decryption = PkDecryption.fromPrivateKey(ALICE)) {
            PkMessage message = PkMessage.fromBase64("3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08", "zpzU6BkZcNI", ciphertext);
            assertEquals(plaintext, new String(decryption.decrypt(message), StandardCharsets.UTF_8));
        }
    }

    /** libolm test_pk.cpp "Public Key Decryption pickling". */
    @Test
    void libolmPickleVector() {
        String pickle = "qx37WTQrjZLz5tId/uBX9B3/okqAbV1ofl9UnHKno1eipByCpXleAAlAZoJgYnCDOQZDQWzo3luTSfkF9pU1mOILCbbouubs6TVeDyPfgGD9i86J8irHjA";
        try (PkDecryption restored = PkDecryption.fromPickle(pickle, utf8("secret_key"))) {
            assertEquals(ALICE_PUBLIC, MatrixBase64.encode(restored.publicKey()));
            assertArrayEquals(ALICE, restored.privateKey());
        }
        try (PkDecryption alice = PkDecryption.fromPrivateKey(ALICE)) {
            // The pickle cipher's IV is derived from the key, so pickling is deterministic.
            assertEquals(pickle, alice.pickle(utf8("secret_key")));
        }
        var wrong = assertThrows(OlmException.class, () -> PkDecryption.fromPickle(pickle, utf8("secret_kez")));
        assertEquals(OlmError.BAD_ACCOUNT_KEY, wrong.error());
        assertEquals(Status.BAD_MAC, wrong.status());
    }

    @Test
    void wrongKeyAndTamperedMacAreRejected() {
        try (PkDecryption right = PkDecryption.generate(); PkDecryption wrong = PkDecryption.generate();
             PkEncryption encryption = PkEncryption.forRecipient(right.publicKey())) {
            PkMessage message = encryption.encrypt(utf8("backup"));
            assertEquals(OlmError.BAD_MESSAGE_MAC, assertThrows(OlmException.class, () -> wrong.decrypt(message)).error());
            byte[] mac = message.mac();
            mac[0] ^= 1;
            PkMessage badMac = new PkMessage(message.ephemeralKey(), mac, message.ciphertext());
            assertEquals(OlmError.BAD_MESSAGE_MAC, assertThrows(OlmException.class, () -> right.decrypt(badMac)).error());
            assertArrayEquals(utf8("backup"), right.decrypt(message));
        }
    }

    /**
     * The MAC covers no ciphertext, so anyone holding the public key can make messages with a valid MAC
     * and chosen padding. libolm would accept a zero pad and mixed pad bytes; panolm refuses them.
     */
    @Test
    void paddingIsCheckedStrictly() throws Exception {
        try (PkDecryption decryption = PkDecryption.fromPrivateKey(ALICE)) {
            byte[] block = utf8("0123456789abcde");
            assertArrayEquals(block, decryption.decrypt(craft(decryption.publicKey(), withLastByte(block, 1))),
                    "control: a well-formed crafted message decrypts");
            for (int pad : new int[] {0, 17, 255}) {
                var e = assertThrows(PanolmException.class,
                        () -> decryption.decrypt(craft(decryption.publicKey(), withLastByte(block, pad))), "pad " + pad);
                assertTrue(e.status() == Status.BAD_PADDING || e instanceof OlmException, "pad " + pad + ": " + e);
            }
            byte[] mixed = new byte[16];
            Arrays.fill(mixed, (byte) 4);
            mixed[13] = 5;
            assertEquals(Status.BAD_PADDING,
                    assertThrows(PanolmException.class, () -> decryption.decrypt(craft(decryption.publicKey(), mixed))).status());
            byte[] zero = withLastByte(block, 0);
            assertEquals(Status.BAD_PADDING,
                    assertThrows(PanolmException.class, () -> decryption.decrypt(craft(decryption.publicKey(), zero))).status());
        }
    }

    private static byte[] withLastByte(byte[] fifteen, int last) {
        byte[] block = Arrays.copyOf(fifteen, 16);
        block[15] = (byte) last;
        return block;
    }

    /** A PK message of the raw block {@code padded} (no padding added), with a valid MAC (docs/formats.md §2.2). */
    private static PkMessage craft(byte[] recipient, byte[] padded) throws Exception {
        byte[] shared = X25519.sharedSecret(BOB, recipient);
        byte[] okm = Kdf.hkdfSha256(new byte[32], shared, new byte[0], 80);
        Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(okm, 0, 32, "AES"), new IvParameterSpec(okm, 64, 16));
        byte[] mac = Arrays.copyOf(Mac.hmacSha256(Arrays.copyOfRange(okm, 32, 64), new byte[0]), 8);
        return new PkMessage(X25519.publicKey(BOB), mac, aes.doFinal(padded));
    }

    @Test
    void lowOrderKeysAreRefused() {
        assertEquals(Status.NON_CONTRIBUTORY,
                assertThrows(PanolmException.class, () -> PkEncryption.forRecipient(new byte[32])).status());
        assertEquals(Status.BAD_KEY,
                assertThrows(PanolmException.class, () -> PkEncryption.forRecipient(new byte[31])).status());
        try (PkDecryption decryption = PkDecryption.generate();
             PkEncryption encryption = PkEncryption.forRecipient(decryption.publicKey())) {
            PkMessage message = encryption.encrypt(utf8("x"));
            PkMessage lowOrder = new PkMessage(new byte[32], message.mac(), message.ciphertext());
            assertEquals(Status.NON_CONTRIBUTORY,
                    assertThrows(PanolmException.class, () -> decryption.decrypt(lowOrder)).status());
        }
    }

    @Test
    void messageRecordValidatesItsFields() {
        assertEquals(Status.BAD_MESSAGE_FORMAT,
                assertThrows(PanolmException.class, () -> new PkMessage(new byte[32], new byte[8], new byte[15])).status());
        assertEquals(Status.BAD_MESSAGE_FORMAT,
                assertThrows(PanolmException.class, () -> new PkMessage(new byte[32], new byte[8], new byte[0])).status());
        assertEquals(Status.BAD_MESSAGE_FORMAT,
                assertThrows(PanolmException.class, () -> new PkMessage(new byte[32], new byte[7], new byte[16])).status());
        assertEquals(Status.BAD_KEY,
                assertThrows(PanolmException.class, () -> new PkMessage(new byte[33], new byte[8], new byte[16])).status());
        assertEquals(Status.BAD_BASE64,
                assertThrows(PanolmException.class, () -> PkMessage.fromBase64("!", "AAAAAAAAAAA", "AAAA")).status());
    }

    @Test
    void useAfterCloseAndToString() {
        PkDecryption decryption = PkDecryption.generate();
        PkEncryption encryption = PkEncryption.forRecipient(decryption.publicKey());
        PkMessage message = encryption.encrypt(utf8("x"));
        String privateB64 = MatrixBase64.encode(decryption.privateKey());
        assertEquals("PkDecryption[" + MatrixBase64.encode(decryption.publicKey()) + "]", decryption.toString());
        assertFalse(decryption.toString().contains(privateB64));
        decryption.close();
        decryption.close();
        encryption.close();
        encryption.close();
        assertThrows(IllegalStateException.class, () -> decryption.decrypt(message));
        assertThrows(IllegalStateException.class, decryption::privateKey);
        assertThrows(IllegalStateException.class, decryption::publicKey);
        assertThrows(IllegalStateException.class, () -> decryption.pickle(utf8("k")));
        assertThrows(IllegalStateException.class, () -> encryption.encrypt(utf8("x")));
        assertEquals("PkDecryption[closed]", decryption.toString());
    }
}
