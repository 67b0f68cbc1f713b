package org.panolm.benchmarks.libolm;

import static org.panolm.libolm.pk_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import org.panolm.backup.SessionData;

/**
 * libolm's {@code olm_pk_decrypt} (backup decryption, §2.4) through FFM, jOlm-style: the three base64
 * inputs are copied into native memory per call (the ciphertext is decoded in place and destroyed).
 * Not thread-safe.
 */
public final class LibolmPkDecryption implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment decryption;
    private final MemorySegment ephemeral;
    private final MemorySegment mac;
    private final MemorySegment ciphertext;
    private final MemorySegment plaintext;
    private final String publicKey;
    private boolean closed;

    public LibolmPkDecryption(byte[] privateKey, int maxCiphertext) {
        decryption = olm_pk_decryption(arena.allocate(olm_pk_decryption_size()));
        long pubLen = olm_pk_key_length();
        MemorySegment pub = arena.allocate(pubLen);
        MemorySegment priv = Scratch.copyIn(arena, privateKey);
        check(olm_pk_key_from_private(decryption, pub, pubLen, priv, privateKey.length), "key from private");
        priv.fill((byte) 0);
        publicKey = new String(Scratch.copyOut(pub, pubLen), StandardCharsets.US_ASCII);
        ephemeral = arena.allocate(64);
        mac = arena.allocate(64);
        ciphertext = arena.allocate(Math.max(1, maxCiphertext));
        plaintext = arena.allocate(Math.max(16, olm_pk_max_plaintext_length(decryption, maxCiphertext)));
    }

    public String publicKey() {
        return publicKey;
    }

    /** Decrypts into the object's buffer; returns the plaintext length. Inputs are base64 ASCII. */
    public long decrypt(byte[] ephemeralB64, byte[] macB64, byte[] ciphertextB64) {
        Scratch.copyIn(ephemeralB64, ephemeral);
        Scratch.copyIn(macB64, mac);
        Scratch.copyIn(ciphertextB64, ciphertext);
        long max = olm_pk_max_plaintext_length(decryption, ciphertextB64.length);
        return check(olm_pk_decrypt(decryption, ephemeral, ephemeralB64.length, mac, macB64.length, ciphertext,
                ciphertextB64.length, plaintext, max), "pk decrypt");
    }

    public byte[] decryptToBytes(SessionData m) {
        long n = decrypt(ascii(m.ephemeral()), ascii(m.mac()), ascii(m.ciphertext()));
        return Scratch.copyOut(plaintext, n);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private long check(long result, String what) {
        return OlmCall.check(result, () -> olm_pk_decryption_last_error(decryption), what);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        olm_clear_pk_decryption(decryption);
        arena.close();
    }
}
