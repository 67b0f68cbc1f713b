package org.panolm.megolm;

import static org.panolm.bindings.outbound_group_session_h.*;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.util.Objects;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.internal.libolm.Libolm;
import org.panolm.internal.libolm.LibolmObject;
import org.panolm.internal.libolm.LibolmType;
import org.panolm.internal.libolm.Scratch;

/**
 * The sending side of a Megolm session through libolm ({@code OlmOutboundGroupSession}): a ratchet, a
 * counter and an Ed25519 key pair (SPEC-NOTES §1). Owns native memory: close it; after
 * {@link #close()} every method throws {@link IllegalStateException}. Thread-safe: methods are
 * synchronized on the session.
 */
public final class OutboundGroupSession implements AutoCloseable {
    private final LibolmObject olm;

    private OutboundGroupSession() {
        this.olm = LibolmObject.create(this, LibolmType.OUTBOUND_GROUP_SESSION);
    }

    /** A new session: random ratchet, fresh signing key, index 0. */
    public static OutboundGroupSession create() {
        return withRandom(null);
    }

    /**
     * From chosen randomness (128 ratchet bytes, then a 32-byte Ed25519 seed), so that tests can
     * reproduce published vectors. {@code null} means random.
     */
    static OutboundGroupSession withRandom(byte[] random) {
        OutboundGroupSession session = new OutboundGroupSession();
        try {
            session.init(random);
            return session;
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private synchronized void init(byte[] chosen) {
        MemorySegment p = olm.pointer();
        long n = olm_init_outbound_group_session_random_length(p);
        try (Scratch s = olm.scratch(n)) {
            MemorySegment random;
            if (chosen == null) {
                random = s.take(n);
                Libolm.random(random);
            } else {
                if (chosen.length != n) {
                    throw new PanolmException(Status.INVALID_ARGUMENT, "outbound group session needs " + n + " random bytes");
                }
                random = Libolm.put(s, chosen);
            }
            olm.check(olm_init_outbound_group_session(p, random, n), "creating an outbound group session");
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Restores a session from a libolm pickle.
     *
     * @throws org.panolm.olm.OlmException {@code BAD_ACCOUNT_KEY} for a wrong key or an altered pickle
     */
    public static OutboundGroupSession fromPickle(String pickle, byte[] pickleKey) {
        Objects.requireNonNull(pickle, "pickle");
        Objects.requireNonNull(pickleKey, "pickleKey");
        OutboundGroupSession session = new OutboundGroupSession();
        try {
            session.unpickle(pickle, pickleKey);
            return session;
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private synchronized void unpickle(String pickle, byte[] key) {
        MemorySegment p = olm.pointer();
        try (Scratch s = olm.scratch((long) pickle.length() + key.length)) {
            MemorySegment k = Libolm.put(s, key);
            MemorySegment in = Libolm.putBase64Text(s, pickle, "outbound group session pickle");
            olm.check(olm_unpickle_outbound_group_session(p, k, key.length, in, in.byteSize()),
                    "unpickling an outbound group session");
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The session encrypted with {@code pickleKey}, in libolm's pickle format (unpadded base64). */
    public synchronized String pickle(byte[] pickleKey) {
        Objects.requireNonNull(pickleKey, "pickleKey");
        MemorySegment p = olm.pointer();
        long n = olm_pickle_outbound_group_session_length(p);
        try (Scratch s = olm.scratch(n + pickleKey.length)) {
            MemorySegment k = Libolm.put(s, pickleKey);
            MemorySegment out = s.take(n);
            long written = olm.check(olm_pickle_outbound_group_session(p, k, pickleKey.length, out, n),
                    "pickling an outbound group session");
            return Libolm.getAscii(out, written);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The session id: unpadded base64 of the session's Ed25519 public key. */
    public synchronized String sessionId() {
        MemorySegment p = olm.pointer();
        long n = olm_outbound_group_session_id_length(p);
        try (Scratch s = olm.scratch(n)) {
            MemorySegment out = s.take(n);
            long written = olm.check(olm_outbound_group_session_id(p, out, n), "reading the session id");
            return Libolm.getAscii(out, written);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The index the next message will be encrypted at. */
    public synchronized long messageIndex() {
        try {
            return Integer.toUnsignedLong(olm_outbound_group_session_message_index(olm.pointer()));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The signed session key at the current index, to share in {@code m.room_key} (format v2). */
    public synchronized SessionKey sessionKey() {
        MemorySegment p = olm.pointer();
        long n = olm_outbound_group_session_key_length(p);
        try (Scratch s = olm.scratch(n + Long.BYTES)) {
            MemorySegment out = s.take(n);
            long written = olm.check(olm_outbound_group_session_key(p, out, n), "reading the session key");
            byte[] key = Libolm.getBase64(s, out, written, "session key");
            try {
                return new SessionKey(key);
            } finally {
                java.util.Arrays.fill(key, (byte) 0);
            }
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Encrypts {@code plaintext} (normally the UTF-8 JSON {@code {"type","content","room_id"}}) and
     * advances the ratchet. Returns the binary Megolm message; its unpadded base64 is the event's
     * {@code ciphertext}.
     */
    public synchronized byte[] encrypt(byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        MemorySegment p = olm.pointer();
        long n = olm_group_encrypt_message_length(p, plaintext.length);
        try (Scratch s = olm.scratch(plaintext.length + n + Long.BYTES)) {
            MemorySegment in = Libolm.put(s, plaintext);
            MemorySegment out = s.take(n);
            long written = olm.check(olm_group_encrypt(p, in, plaintext.length, out, n), "encrypting a Megolm message");
            return Libolm.getBase64(s, out, written, "Megolm message");
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Wipes the ratchet and signing key. Idempotent. */
    @Override
    public synchronized void close() {
        olm.close();
    }

    public boolean isClosed() {
        return olm.isClosed();
    }

    @Override
    public synchronized String toString() {
        return olm.isClosed() ? "OutboundGroupSession[closed]"
                : "OutboundGroupSession[" + sessionId() + ", index=" + messageIndex() + "]";
    }
}
