package org.panolm.subtle;

import static java.lang.foreign.MemorySegment.ofArray;

import java.util.Arrays;

import org.panolm.bindings.panolm_h;
import org.panolm.internal.NativeStatus;

/** AES-256-CBC with PKCS#7 (strict unpadding) and AES-256-CTR (128-bit or WebCrypto 64-bit counter). */
public final class Aes {
    private Aes() {}

    public static byte[] cbcEncrypt(byte[] key, byte[] iv, byte[] plaintext) {
        Lengths.require(key, 32, "AES-256 key");
        Lengths.require(iv, 16, "AES IV");
        byte[] out = new byte[plaintext.length - plaintext.length % 16 + 16];
        long[] len = new long[1];
        NativeStatus.check(panolm_h.panolm_aes256_cbc_encrypt(ofArray(key), ofArray(iv), ofArray(plaintext),
                plaintext.length, ofArray(out), out.length, ofArray(len)), "AES-256-CBC encrypt");
        return out;
    }

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

    public static byte[] ctr(byte[] key, byte[] iv, byte[] input) {
        Lengths.require(key, 32, "AES-256 key");
        Lengths.require(iv, 16, "AES IV");
        byte[] out = new byte[input.length];
        NativeStatus.check(panolm_h.panolm_aes256_ctr(ofArray(key), ofArray(iv), ofArray(input), input.length,
                ofArray(out)), "AES-256-CTR");
        return out;
    }

    /** CTR with WebCrypto's {@code length: 64} counter, as Element's export files use it. */
    public static byte[] ctr64(byte[] key, byte[] iv, byte[] input) {
        Lengths.require(key, 32, "AES-256 key");
        Lengths.require(iv, 16, "AES IV");
        byte[] out = new byte[input.length];
        NativeStatus.check(panolm_h.panolm_aes256_ctr64(ofArray(key), ofArray(iv), ofArray(input), input.length,
                ofArray(out)), "AES-256-CTR");
        return out;
    }
}
