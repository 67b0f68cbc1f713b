package org.panolm.benchmarks.libolm;

import static org.panolm.bindings.outbound_group_session_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import org.panolm.subtle.SecureRandomBytes;

/**
 * A libolm Megolm sender called through FFM, shaped like a jOlm wrapper: the plaintext is copied
 * into native memory for each call; the base64 message is written to a buffer owned by the object.
 * Not thread-safe (nor is libolm's object).
 */
public final class LibolmOutboundGroupSession implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment session;
    private final MemorySegment plaintext;
    private final MemorySegment message;
    private final int maxPlaintext;
    private boolean closed;

    public LibolmOutboundGroupSession(int maxPlaintext) {
        this.maxPlaintext = maxPlaintext;
        session = olm_outbound_group_session(arena.allocate(olm_outbound_group_session_size()));
        long randomLength = olm_init_outbound_group_session_random_length(session);
        MemorySegment random = Scratch.copyIn(arena, SecureRandomBytes.next((int) randomLength));
        check(olm_init_outbound_group_session(session, random, randomLength), "init outbound group session");
        random.fill((byte) 0);
        plaintext = arena.allocate(Math.max(1, maxPlaintext));
        // The length grows with the index's varint (up to 4 more bytes, 6 base64 characters).
        message = arena.allocate(olm_group_encrypt_message_length(session, maxPlaintext) + 8);
    }

    /** The docs/formats.md §1.5 session key (version 2, signed) at the current index, base64. */
    public String sessionKey() {
        long len = olm_outbound_group_session_key_length(session);
        MemorySegment out = arena.allocate(len);
        check(olm_outbound_group_session_key(session, out, len), "outbound session key");
        return new String(Scratch.copyOut(out, len), StandardCharsets.US_ASCII);
    }

    public String sessionId() {
        long len = olm_outbound_group_session_id_length(session);
        MemorySegment out = arena.allocate(len);
        check(olm_outbound_group_session_id(session, out, len), "outbound session id");
        return new String(Scratch.copyOut(out, len), StandardCharsets.US_ASCII);
    }

    /** Encrypts into the object's message buffer; returns the base64 length written there. */
    public long encrypt(byte[] input) {
        if (input.length > maxPlaintext) throw new IllegalArgumentException("plaintext above " + maxPlaintext);
        Scratch.copyIn(input, plaintext);
        long len = olm_group_encrypt_message_length(session, input.length);
        return check(olm_group_encrypt(session, plaintext, input.length, message, len), "group encrypt");
    }

    /** Encrypts and returns the base64 message as bytes (for building corpora and tests). */
    public byte[] encryptToBytes(byte[] input) {
        return Scratch.copyOut(message, encrypt(input));
    }

    private long check(long result, String what) {
        return OlmCall.check(result, () -> olm_outbound_group_session_last_error(session), what);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        olm_clear_outbound_group_session(session);
        arena.close();
    }
}
