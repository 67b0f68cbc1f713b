package org.panolm.megolm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.panolm.bindings.inbound_group_session_h.*;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.Objects;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.inbound_group_session_h;
import org.panolm.internal.libolm.Libolm;
import org.panolm.internal.libolm.LibolmObject;
import org.panolm.internal.libolm.LibolmType;
import org.panolm.internal.libolm.Pickling;
import org.panolm.internal.libolm.Scratch;

/**
 * The receiving side of a Megolm session through libolm ({@code OlmInboundGroupSession}): the earliest
 * known ratchet and the sender's Ed25519 key (docs/formats.md §1). Owns native memory: close it; after
 * {@link #close()} every method throws {@link IllegalStateException}. Thread-safe: methods are
 * synchronized on the session.
 */
public final class InboundGroupSession implements AutoCloseable {
    /** The largest message index: indices are unsigned 32-bit. */
    public static final long MAX_INDEX = 0xFFFF_FFFFL;

    private static final Pickling PICKLING = new Pickling("inbound group session", "an inbound group session",
            inbound_group_session_h::olm_pickle_inbound_group_session_length,
            inbound_group_session_h::olm_pickle_inbound_group_session,
            inbound_group_session_h::olm_unpickle_inbound_group_session);

    private final LibolmObject olm;

    private InboundGroupSession() {
        this.olm = LibolmObject.create(this, LibolmType.INBOUND_GROUP_SESSION);
    }

    /**
     * From a signed session key ({@code m.room_key}, format v2); the session counts as verified.
     *
     * @param key the session key
     * @return the session; the caller closes it
     * @throws org.panolm.olm.OlmException {@code BAD_SIGNATURE} when the key's signature does not verify
     */
    public static InboundGroupSession create(SessionKey key) {
        Objects.requireNonNull(key, "key");
        return init(key.bytes(), false);
    }

    /**
     * From an exported key (forwarding, backup, key file; format v1); the session is unverified.
     *
     * @param key the exported key
     * @return the session; the caller closes it
     */
    public static InboundGroupSession importSession(ExportedSessionKey key) {
        Objects.requireNonNull(key, "key");
        return init(key.bytes(), true);
    }

    private static InboundGroupSession init(byte[] key, boolean exported) {
        InboundGroupSession session = new InboundGroupSession();
        try {
            return session.olm.initialize(session, s -> s.initFrom(key, exported));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private synchronized void initFrom(byte[] key, boolean exported) {
        if (exported) {
            olm.callWithBase64(this, key, inbound_group_session_h::olm_import_inbound_group_session,
                    "importing an exported session key");
        } else {
            olm.callWithBase64(this, key, inbound_group_session_h::olm_init_inbound_group_session,
                    "creating a session from a session key");
        }
    }

    /**
     * Restores a session from a libolm pickle.
     *
     * @param pickle the pickle
     * @param pickleKey the key it was encrypted with
     * @return the session; the caller closes it
     * @throws org.panolm.olm.OlmException {@code BAD_ACCOUNT_KEY} for a wrong key or an altered pickle
     */
    public static InboundGroupSession fromPickle(String pickle, byte[] pickleKey) {
        return LibolmObject.fromPickle(pickle, pickleKey, PICKLING, InboundGroupSession::new, s -> s.olm);
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
     * The session id: unpadded base64 of the sender's Ed25519 session key.
     *
     * @return the session id
     */
    public synchronized String sessionId() {
        return olm.readAscii(this, olm_inbound_group_session_id_length(olm.pointer()),
                inbound_group_session_h::olm_inbound_group_session_id, "reading the session id");
    }

    /**
     * The lowest message index this session can decrypt.
     *
     * @return the index
     */
    public synchronized long firstKnownIndex() {
        return Integer.toUnsignedLong((int) olm.query(this,
                inbound_group_session_h::olm_inbound_group_session_first_known_index));
    }

    /**
     * Whether the sender's signing key is trusted: true for a session made from a signed session key,
     * and (libolm's rule) after the first successful decryption of an imported one.
     *
     * @return whether the sender's key is trusted
     */
    public synchronized boolean isVerified() {
        return olm.query(this, inbound_group_session_h::olm_inbound_group_session_is_verified) != 0;
    }

    /**
     * Decrypts a binary Megolm message (the base64-decoded {@code ciphertext} of the event). libolm checks
     * the signature and the MAC before decrypting.
     *
     * @param message the binary message
     * @return the plaintext and its index
     * @throws org.panolm.olm.OlmException {@code BAD_SIGNATURE}, {@code BAD_MESSAGE_MAC},
     *         {@code UNKNOWN_MESSAGE_INDEX} (below {@link #firstKnownIndex()}), {@code BAD_MESSAGE_FORMAT},
     *         {@code BAD_MESSAGE_VERSION}
     * @throws PanolmException {@link Status#BAD_PADDING} when the authenticated plaintext is not strictly padded
     */
    public synchronized DecryptedMessage decrypt(byte[] message) {
        Objects.requireNonNull(message, "message");
        if (message.length == 0) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT, "Megolm message is empty");
        }
        MemorySegment p = olm.pointer();
        long b64 = Libolm.base64Length(message.length);
        // libolm decodes its input in place, and needs it twice: once to size the plaintext.
        try (Scratch s = olm.scratch(2 * b64 + message.length + 2 * Long.BYTES)) {
            MemorySegment first = Libolm.putBase64(s, message);
            MemorySegment second = s.take(b64);
            second.copyFrom(first);
            MemorySegment index = s.take(Long.BYTES);
            long max = olm.check(olm_group_decrypt_max_plaintext_length(p, first, b64), "decrypting a Megolm message");
            MemorySegment out = s.take(max);
            long n = olm.check(olm_group_decrypt(p, second, b64, out, max, index), "decrypting a Megolm message");
            Libolm.requireStrictPadding(out, n, max, "decrypting a Megolm message");
            return new DecryptedMessage(Libolm.get(out, n), Integer.toUnsignedLong(index.get(JAVA_INT, 0)));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The session's key in the export format (v1) ratcheted to {@code messageIndex}, for forwarding,
     * backup and key files.
     *
     * @param messageIndex the index to export at
     * @return the exported key
     * @throws org.panolm.olm.OlmException {@code UNKNOWN_MESSAGE_INDEX} below {@link #firstKnownIndex()}, or
     *         2^31 or more past the ratchets libolm holds (it compares indices modulo 2^32)
     */
    public synchronized ExportedSessionKey export(long messageIndex) {
        if (messageIndex < 0 || messageIndex > MAX_INDEX) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "message index must be 0 to 2^32-1, not " + messageIndex);
        }
        long n = olm_export_inbound_group_session_length(olm.pointer());
        byte[] key = olm.readBase64(this, n, (p, out, length) -> olm_export_inbound_group_session(p, out, length,
                (int) messageIndex), "exporting the session at index " + messageIndex, "exported session key");
        try {
            return new ExportedSessionKey(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Wipes the ratchets. Idempotent. */
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
        return olm.isClosed() ? "InboundGroupSession[closed]"
                : "InboundGroupSession[" + sessionId() + ", firstKnownIndex=" + firstKnownIndex() + "]";
    }
}
