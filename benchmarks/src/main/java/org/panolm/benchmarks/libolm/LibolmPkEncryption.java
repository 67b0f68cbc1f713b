package org.panolm.benchmarks.libolm;

import static org.panolm.libolm.pk_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import org.panolm.backup.SessionData;
import org.panolm.bindings.panolm_h;

/**
 * libolm's {@code olm_pk_encrypt} (backup encryption, §2.2) through FFM, jOlm-style: the plaintext is
 * copied into native memory per call, 32 fresh random bytes are drawn per call, outputs land in
 * buffers owned by the object. Not thread-safe.
 */
public final class LibolmPkEncryption implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment encryption;
    private final MemorySegment plaintext;
    private final MemorySegment ciphertext;
    private final MemorySegment mac;
    private final MemorySegment ephemeral;
    private final MemorySegment random;
    private final int maxPlaintext;
    private long ciphertextLength;
    private boolean closed;

    public LibolmPkEncryption(String recipientPublicKey, int maxPlaintext) {
        this.maxPlaintext = maxPlaintext;
        encryption = olm_pk_encryption(arena.allocate(olm_pk_encryption_size()));
        byte[] key = recipientPublicKey.getBytes(StandardCharsets.US_ASCII);
        check(olm_pk_encryption_set_recipient_key(encryption, Scratch.copyIn(arena, key), key.length), "set recipient");
        plaintext = arena.allocate(Math.max(1, maxPlaintext));
        ciphertext = arena.allocate(olm_pk_ciphertext_length(encryption, maxPlaintext));
        mac = arena.allocate(olm_pk_mac_length(encryption));
        ephemeral = arena.allocate(olm_pk_key_length());
        random = arena.allocate(olm_pk_encrypt_random_length(encryption));
    }

    /** Encrypts into the object's buffers; returns the base64 ciphertext length. */
    public long encrypt(byte[] input) {
        if (input.length > maxPlaintext) throw new IllegalArgumentException("plaintext above " + maxPlaintext);
        Scratch.copyIn(input, plaintext);
        if (panolm_h.panolm_random(random, random.byteSize()) != 0) throw new IllegalStateException("random");
        ciphertextLength = olm_pk_ciphertext_length(encryption, input.length);
        check(olm_pk_encrypt(encryption, plaintext, input.length, ciphertext, ciphertextLength, mac, mac.byteSize(),
                ephemeral, ephemeral.byteSize(), random, random.byteSize()), "pk encrypt");
        random.fill((byte) 0);
        return ciphertextLength;
    }

    public SessionData encryptToParts(byte[] input) {
        encrypt(input);
        return new SessionData(ascii(ephemeral, ephemeral.byteSize()), ascii(ciphertext, ciphertextLength),
                ascii(mac, mac.byteSize()));
    }

    private static String ascii(MemorySegment s, long len) {
        return new String(Scratch.copyOut(s, len), StandardCharsets.US_ASCII);
    }

    private long check(long result, String what) {
        return OlmCall.check(result, () -> olm_pk_encryption_last_error(encryption), what);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        olm_clear_pk_encryption(encryption);
        arena.close();
    }
}
