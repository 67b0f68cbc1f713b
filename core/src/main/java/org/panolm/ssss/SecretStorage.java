package org.panolm.ssss;

import static java.lang.foreign.MemorySegment.ofArray;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_secrets_h;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.NativeStatus;
import org.panolm.subtle.SecureRandomBytes;

/**
 * Encrypting and decrypting secrets with {@code m.secret_storage.v1.aes-hmac-sha2} (docs/formats.md §5.3):
 * keys from HKDF with the secret's name, AES-256-CTR, HMAC-SHA-256 over the ciphertext, checked first.
 */
public final class SecretStorage {
    private SecretStorage() {}

    /**
     * The algorithm of secrets and keys: AES-256-CTR and HMAC-SHA-256 keyed by HKDF of the key and the secret's name.
     */
    public static final String ALGORITHM = "m.secret_storage.v1.aes-hmac-sha2";
    static final int IV_LENGTH = 16;
    static final int MAC_LENGTH = 32;

    /**
     * Encrypts UTF-8 plaintext under {@code name} with a fresh IV (bit 63 cleared).
     *
     * @param key the secret-storage key
     * @param name the secret's name (its account-data event type)
     * @param plaintext the secret as UTF-8
     * @return the encrypted secret
     */
    public static EncryptedSecret encrypt(SecretStorageKey key, String name, byte[] plaintext) {
        return encrypt(key, name, plaintext, randomIv());
    }

    static EncryptedSecret encrypt(SecretStorageKey key, String name, byte[] plaintext, byte[] iv) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] ciphertext = new byte[plaintext.length];
        byte[] mac = new byte[MAC_LENGTH];
        key.withBytes(k -> {
            NativeStatus.check(panolm_secrets_h.panolm_ssss_encrypt(ofArray(k), ofArray(nameBytes), nameBytes.length,
                    ofArray(iv), ofArray(plaintext), plaintext.length, ofArray(ciphertext), ofArray(mac)),
                    "secret storage: encrypting " + name);
            return null;
        });
        return new EncryptedSecret(MatrixBase64.encode(iv), MatrixBase64.encode(ciphertext), MatrixBase64.encode(mac));
    }

    /**
     * Decrypts the secret {@code name}; returns its UTF-8 bytes, which the caller should wipe.
     * @param key the secret-storage key
     * @param name the secret's name (its account-data event type)
     * @param secret the encrypted secret
     * @return the plaintext
     * @throws PanolmException BAD_MAC for a wrong key or name or altered data; BAD_BASE64 / BAD_KEY for
     *     malformed fields (naming the field)
     */
    public static byte[] decrypt(SecretStorageKey key, String name, EncryptedSecret secret) {
        String what = "secret " + name;
        byte[] iv = MatrixBase64.decode(secret.iv(), IV_LENGTH, what + ": iv");
        byte[] ciphertext = MatrixBase64.decode(secret.ciphertext(), what + ": ciphertext");
        byte[] mac = MatrixBase64.decode(secret.mac(), MAC_LENGTH, what + ": mac");
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] plaintext = new byte[ciphertext.length];
        key.withBytes(k -> {
            int rc = panolm_secrets_h.panolm_ssss_decrypt(ofArray(k), ofArray(nameBytes), nameBytes.length,
                    ofArray(iv), ofArray(ciphertext), ciphertext.length, ofArray(mac), ofArray(plaintext));
            if (rc == Status.BAD_MAC.code()) {
                throw new PanolmException(Status.BAD_MAC, what + ": the MAC does not verify (wrong key, or the "
                        + "secret was stored under another name or altered)");
            }
            NativeStatus.check(rc, what);
            return null;
        });
        return plaintext;
    }

    /**
     * Encrypts a 32-byte private key (backup key, cross-signing seed) as its unpadded base64 string.
     *
     * @param key the secret-storage key
     * @param name the secret's name (its account-data event type)
     * @param privateKey the 32-byte private key
     * @return the encrypted secret
     */
    public static EncryptedSecret encryptPrivateKey(SecretStorageKey key, String name, byte[] privateKey) {
        if (privateKey == null || privateKey.length != 32) {
            throw new PanolmException(Status.BAD_KEY, "secret " + name + " must be a 32-byte key");
        }
        byte[] text = MatrixBase64.encodeToAscii(privateKey);
        try {
            return encrypt(key, name, text);
        } finally {
            Arrays.fill(text, (byte) 0);
        }
    }

    /**
     * Decrypts a secret whose plaintext is base64 of a 32-byte private key, padded or not. The caller wipes
     * the result.
     *
     * @param key the secret-storage key
     * @param name the secret's name (its account-data event type)
     * @param secret the encrypted secret
     * @return the 32-byte private key
     */
    public static byte[] decryptPrivateKey(SecretStorageKey key, String name, EncryptedSecret secret) {
        byte[] text = decrypt(key, name, secret);
        try {
            return decodeKeyText(text, "secret " + name);
        } finally {
            Arrays.fill(text, (byte) 0);
        }
    }

    /** Base64 of 32 bytes, with optional padding and surrounding whitespace; decoded without a String. */
    static byte[] decodeKeyText(byte[] text, String what) {
        int start = 0;
        int end = text.length;
        while (start < end && Character.isWhitespace(text[start])) {
            start++;
        }
        while (end > start && (Character.isWhitespace(text[end - 1]) || text[end - 1] == '=')) {
            end--;
        }
        if (end - start != 43) {
            throw new PanolmException(Status.BAD_KEY, what + " is not base64 of a 32-byte key");
        }
        byte[] padded = new byte[44];
        System.arraycopy(text, start, padded, 0, 43);
        padded[43] = '=';
        try {
            return java.util.Base64.getDecoder().decode(padded);
        } catch (IllegalArgumentException e) {
            throw new PanolmException(Status.BAD_BASE64, what + " is not valid base64");
        } finally {
            Arrays.fill(padded, (byte) 0);
        }
    }

    static byte[] randomIv() {
        byte[] iv = SecureRandomBytes.next(IV_LENGTH);
        // Bit 63 clear: a 64-bit (WebCrypto) and a 128-bit counter then agree for any secret length.
        iv[8] &= 0x7f;
        return iv;
    }
}
