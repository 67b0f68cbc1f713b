package org.panolm.subtle;

import static java.lang.foreign.MemorySegment.ofArray;

import java.util.Arrays;

import org.panolm.bindings.panolm_h;
import org.panolm.internal.NativeStatus;

/** AES-256-CBC with PKCS#7 (strict unpadding) and AES-256-CTR (128-bit or WebCrypto 64-bit counter). */
public final class Aes {
    private Aes() {}

    /**
     * AES-256-CBC encryption with PKCS#7 padding.
     *
     * @param key the 32-byte key
     * @param iv the 16-byte IV
     * @param plaintext the plaintext, any length
     * @return the ciphertext, padded to the next whole block
     */
    public static byte[] cbcEncrypt(byte[] key, byte[] iv, byte[] plaintext) {
        Lengths.require(key, 32, "AES-256 key");
        Lengths.require(iv, 16, "AES IV");
        byte[] out = new byte[plaintext.length - plaintext.length % 16 + 16];
        long[] len = new long[1];
        NativeStatus.check(panolm_h.panolm_aes256_cbc_encrypt(ofArray(key), ofArray(iv), ofArray(plaintext),
                plaintext.length, ofArray(out), out.length, ofArray(len)), "AES-256-CBC encrypt");
        return out;
    }

    /**
     * AES-256-CBC decryption; the PKCS#7 padding is checked strictly and removed.
     *
     * @param key the 32-byte key
     * @param iv the 16-byte IV
     * @param ciphertext the ciphertext, whole blocks
     * @return the plaintext
     */
    public static byte[] cbcDecrypt(byte[] key, byte[] iv, byte[] ciphertext) {
        Lengths.require(key, 32, "AES-256 key");
        Lengths.require(iv, 16, "AES IV");
        byte[] out = new byte[ciphertext.length];
        long[] len = new long[1];
        NativeStatus.check(panolm_h.panolm_aes256_cbc_decrypt(ofArray(key), ofArray(iv), ofArray(ciphertext),
                ciphertext.length, ofArray(out), out.length, ofArray(len)), "AES-256-CBC decrypt");
        byte[] result = Arrays.copyOf(out, (int) len[0]);
        Arrays.fill(out, (byte) 0);
        return result;
    }

    /**
     * AES-256-CTR with a 128-bit big-endian counter; encrypts and decrypts alike.
     *
     * @param key the 32-byte key
     * @param iv the 16-byte initial counter block
     * @param input the plaintext or ciphertext
     * @return the output, as long as the input
     */
    public static byte[] ctr(byte[] key, byte[] iv, byte[] input) {
        Lengths.require(key, 32, "AES-256 key");
        Lengths.require(iv, 16, "AES IV");
        byte[] out = new byte[input.length];
        NativeStatus.check(panolm_h.panolm_aes256_ctr(ofArray(key), ofArray(iv), ofArray(input), input.length,
                ofArray(out)), "AES-256-CTR");
        return out;
    }

    /**
     * CTR with WebCrypto's {@code length: 64} counter, as Element's export files use it.
     *
     * @param key the 32-byte key
     * @param iv the 16-byte initial counter block
     * @param input the plaintext or ciphertext
     * @return the output, as long as the input
     */
    public static byte[] ctr64(byte[] key, byte[] iv, byte[] input) {
        Lengths.require(key, 32, "AES-256 key");
        Lengths.require(iv, 16, "AES IV");
        byte[] out = new byte[input.length];
        NativeStatus.check(panolm_h.panolm_aes256_ctr64(ofArray(key), ofArray(iv), ofArray(input), input.length,
                ofArray(out)), "AES-256-CTR");
        return out;
    }
}
