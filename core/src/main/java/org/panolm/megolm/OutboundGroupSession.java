package org.panolm.megolm;

import static org.panolm.bindings.outbound_group_session_h.*;

import java.util.Arrays;
import java.util.Objects;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.outbound_group_session_h;
import org.panolm.internal.libolm.LibolmObject;
import org.panolm.internal.libolm.LibolmType;
import org.panolm.internal.libolm.Pickling;

/**
 * The sending side of a Megolm session through libolm ({@code OlmOutboundGroupSession}): a ratchet, a
 * counter and an Ed25519 key pair (docs/formats.md §1). Owns native memory: close it; after
 * {@link #close()} every method throws {@link IllegalStateException}. Thread-safe: methods are
 * synchronized on the session.
 */
public final class OutboundGroupSession implements AutoCloseable {
    private static final Pickling PICKLING = new Pickling("outbound group session", "an outbound group session",
            outbound_group_session_h::olm_pickle_outbound_group_session_length,
            outbound_group_session_h::olm_pickle_outbound_group_session,
            outbound_group_session_h::olm_unpickle_outbound_group_session);

    private final LibolmObject olm;

    private OutboundGroupSession() {
        this.olm = LibolmObject.create(this, LibolmType.OUTBOUND_GROUP_SESSION);
    }

    /**
     * A new session: random ratchet, fresh signing key, index 0.
     *
     * @return the session; the caller closes it
     */
    public static OutboundGroupSession create() {
        return withRandom(null);
    }

    /**
     * From chosen randomness (128 ratchet bytes, then a 32-byte Ed25519 seed), so that tests can
     * reproduce published vectors. {@code null} means random.
     */
    static OutboundGroupSession withRandom(byte[] random) {
        OutboundGroupSession session = new OutboundGroupSession();
        return session.olm.initialize(session, s -> s.init(random));
    }

    private synchronized void init(byte[] chosen) {
        long n = olm_init_outbound_group_session_random_length(olm.pointer());
        if (chosen != null && chosen.length != n) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "outbound group session needs " + n + " random bytes");
        }
        olm.callWithRandom(this, n, chosen, outbound_group_session_h::olm_init_outbound_group_session,
                "creating an outbound group session");
    }

    /**
     * Restores a session from a libolm pickle.
     *
     * @param pickle the pickle
     * @param pickleKey the key it was encrypted with
     * @return the session; the caller closes it
     * @throws org.panolm.olm.OlmException {@code BAD_ACCOUNT_KEY} for a wrong key or an altered pickle
     */
    public static OutboundGroupSession fromPickle(String pickle, byte[] pickleKey) {
        return LibolmObject.fromPickle(pickle, pickleKey, PICKLING, OutboundGroupSession::new, s -> s.olm);
    }

    /**
     * The session encrypted with {@code pickleKey}, in libolm's pickle format (unpadded base64).
     *
     * @param pickleKey the key to encrypt the pickle with
     * @return the pickle
     */
    public synchronized String pickle(byte[] pickleKey) {
        return olm.pickle(this, pickleKey, PICKLING);
    }

    /**
     * The session id: unpadded base64 of the session's Ed25519 public key.
     *
     * @return the session id
     */
    public synchronized String sessionId() {
        return olm.readAscii(this, olm_outbound_group_session_id_length(olm.pointer()),
                outbound_group_session_h::olm_outbound_group_session_id, "reading the session id");
    }

    /**
     * The index the next message will be encrypted at.
     *
     * @return the index
     */
    public synchronized long messageIndex() {
        return Integer.toUnsignedLong((int) olm.query(this,
                outbound_group_session_h::olm_outbound_group_session_message_index));
    }

    /**
     * The signed session key at the current index, to share in {@code m.room_key} (format v2).
     *
     * @return the session key
     */
    public synchronized SessionKey sessionKey() {
        byte[] key = olm.readBase64(this, olm_outbound_group_session_key_length(olm.pointer()),
                outbound_group_session_h::olm_outbound_group_session_key, "reading the session key", "session key");
        try {
            return new SessionKey(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Encrypts {@code plaintext} (normally the UTF-8 JSON {@code {"type","content","room_id"}}) and
     * advances the ratchet. Returns the binary Megolm message; its unpadded base64 is the event's
     * {@code ciphertext}.
     *
     * @param plaintext the plaintext
     * @return the binary message
     */
    public synchronized byte[] encrypt(byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        long n = olm_group_encrypt_message_length(olm.pointer(), plaintext.length);
        return olm.transform(this, plaintext, n, outbound_group_session_h::olm_group_encrypt,
                "encrypting a Megolm message", "Megolm message");
    }

    /** Wipes the ratchet and signing key. Idempotent. */
    @Override
    public synchronized void close() {
        olm.close();
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return olm.isClosed();
    }

    @Override
    public synchronized String toString() {
        return olm.isClosed() ? "OutboundGroupSession[closed]"
                : "OutboundGroupSession[" + sessionId() + ", index=" + messageIndex() + "]";
    }
}
