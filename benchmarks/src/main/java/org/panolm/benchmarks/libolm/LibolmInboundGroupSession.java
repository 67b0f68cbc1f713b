package org.panolm.benchmarks.libolm;

import static org.panolm.bindings.inbound_group_session_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A libolm Megolm receiver called through FFM the way a jOlm-style wrapper does it. libolm's
 * {@code olm_group_decrypt_max_plaintext_length} and {@code olm_group_decrypt} destroy their input
 * (base64 is decoded in place), so each call copies the message into a scratch buffer first, twice.
 * Buffers are kept per object, which is kinder to libolm than wrappers that allocate per call.
 * Not thread-safe.
 */
public final class LibolmInboundGroupSession implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment session;
    private final MemorySegment sessionKey;
    private final long sessionKeyLength;
    private final MemorySegment scratch;
    private final MemorySegment plaintext;
    private final MemorySegment index;
    private boolean closed;

    /** @param sessionKey the docs/formats.md §1.5 base64 session key; @param maxMessage the longest base64 message */
    public LibolmInboundGroupSession(String sessionKey, int maxMessage) {
        session = olm_inbound_group_session(arena.allocate(olm_inbound_group_session_size()));
        byte[] key = sessionKey.getBytes(StandardCharsets.US_ASCII);
        this.sessionKey = Scratch.copyIn(arena, key);
        this.sessionKeyLength = key.length;
        reset();
        scratch = arena.allocate(Math.max(1, maxMessage));
        plaintext = arena.allocate(Math.max(16, maxMessage));
        index = arena.allocate(ValueLayout.JAVA_INT);
    }

    /** Forgets every ratchet but the shared one, as a fresh import of the same session key. */
    public void reset() {
        check(olm_init_inbound_group_session(session, sessionKey, sessionKeyLength), "init inbound group session");
    }

    /** Decrypts a base64 message into the object's buffer; returns the plaintext length. */
    public long decrypt(byte[] base64Message) {
        Scratch.copyIn(base64Message, scratch);
        long max = check(olm_group_decrypt_max_plaintext_length(session, scratch, base64Message.length),
                "group decrypt max length");
        Scratch.copyIn(base64Message, scratch);
        return check(olm_group_decrypt(session, scratch, base64Message.length, plaintext, max, index), "group decrypt");
    }

    public byte[] decryptToBytes(byte[] base64Message) {
        return Scratch.copyOut(plaintext, decrypt(base64Message));
    }

    /** The index of the last message decrypted. */
    public int lastIndex() {
        return index.get(ValueLayout.JAVA_INT, 0);
    }

    private long check(long result, String what) {
        return OlmCall.check(result, () -> olm_inbound_group_session_last_error(session), what);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        olm_clear_inbound_group_session(session);
        arena.close();
    }
}
