package org.panolm.olm;

import static org.panolm.bindings.olm_h.*;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.util.Objects;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.olm_h;
import org.panolm.internal.libolm.Libolm;
import org.panolm.internal.libolm.LibolmObject;
import org.panolm.internal.libolm.LibolmType;
import org.panolm.internal.libolm.Pickling;
import org.panolm.internal.libolm.Scratch;

/**
 * An Olm 1:1 session (libolm {@code OlmSession}, {@code m.olm.v1.curve25519-aes-sha2}). Owns native
 * memory: close it; after {@link #close()} every method throws {@link IllegalStateException}.
 * Thread-safe: methods are synchronized on the session (and, when an account is involved, first on the
 * account).
 */
public final class Session implements AutoCloseable {
    private static final Pickling PICKLING = new Pickling("session", "a session", olm_h::olm_pickle_session_length,
            olm_h::olm_pickle_session, olm_h::olm_unpickle_session);

    private final LibolmObject olm;

    private Session() {
        this.olm = LibolmObject.create(this, LibolmType.SESSION);
    }

    /**
     * Starts a session to another device from its Curve25519 identity key and one of its one-time (or
     * fallback) keys, as claimed from the server.
     *
     * @param account our account
     * @param theirIdentityKey their Curve25519 identity key
     * @param theirOneTimeKey their one-time or fallback key
     * @return the session; the caller closes it
     * @throws PanolmException {@link Status#BAD_KEY} for a key that is not 32 bytes,
     *         {@link Status#NON_CONTRIBUTORY} for a low-order key
     */
    public static Session createOutbound(Account account, byte[] theirIdentityKey, byte[] theirOneTimeKey) {
        Objects.requireNonNull(account, "account");
        Libolm.requireCurve25519PublicKey(theirIdentityKey, "their identity key");
        Libolm.requireCurve25519PublicKey(theirOneTimeKey, "their one-time key");
        Session session = new Session();
        return session.olm.initialize(session, s -> {
            synchronized (account) {
                s.initOutbound(account, theirIdentityKey, theirOneTimeKey);
            }
        });
    }

    private synchronized void initOutbound(Account account, byte[] identityKey, byte[] oneTimeKey) {
        MemorySegment p = olm.pointer();
        MemorySegment a = account.libolm().pointer();
        long n = olm_create_outbound_session_random_length(p);
        try (Scratch s = olm.scratch(n + 2 * Libolm.base64Length(32) + 2 * Long.BYTES)) {
            MemorySegment id = Libolm.putBase64(s, identityKey);
            MemorySegment otk = Libolm.putBase64(s, oneTimeKey);
            MemorySegment random = s.take(n);
            Libolm.random(random);
            olm.check(olm_create_outbound_session(p, a, id, id.byteSize(), otk, otk.byteSize(), random, n),
                    "creating an outbound session");
        } finally {
            Reference.reachabilityFence(account);
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Creates the receiving side of a session from the first (pre-key) message another device sent.
     * Does not remove the one-time key: decrypt the message first, then call
     * {@link Account#removeOneTimeKeys(Session)}.
     *
     * @param account our account
     * @param preKeyMessage the first message
     * @return the session; the caller closes it
     * @throws OlmException {@link OlmError#BAD_MESSAGE_KEY_ID} when the account lacks the one-time key
     */
    public static Session createInbound(Account account, OlmMessage preKeyMessage) {
        return createInbound(account, null, preKeyMessage);
    }

    /**
     * As {@link #createInbound(Account, OlmMessage)}, also checking the sender's Curve25519 identity key.
     *
     * @param account our account
     * @param theirIdentityKey the sender's Curve25519 identity key
     * @param preKeyMessage the first message
     * @return the session; the caller closes it
     */
    public static Session createInboundFrom(Account account, byte[] theirIdentityKey, OlmMessage preKeyMessage) {
        Libolm.requireCurve25519PublicKey(theirIdentityKey, "their identity key");
        return createInbound(account, theirIdentityKey, preKeyMessage);
    }

    private static Session createInbound(Account account, byte[] theirIdentityKey, OlmMessage message) {
        Objects.requireNonNull(account, "account");
        requirePreKey(message);
        Session session = new Session();
        return session.olm.initialize(session, s -> {
            synchronized (account) {
                s.initInbound(account, theirIdentityKey, message);
            }
        });
    }

    private synchronized void initInbound(Account account, byte[] identityKey, OlmMessage message) {
        MemorySegment p = olm.pointer();
        MemorySegment a = account.libolm().pointer();
        byte[] body = message.bodyUnsafe();
        try (Scratch s = olm.scratch(Libolm.base64Length(body.length) + Libolm.base64Length(32) + 2 * Long.BYTES)) {
            MemorySegment m = Libolm.putBase64(s, body);
            if (identityKey == null) {
                olm.check(olm_create_inbound_session(p, a, m, m.byteSize()), "creating an inbound session");
            } else {
                MemorySegment id = Libolm.putBase64(s, identityKey);
                olm.check(olm_create_inbound_session_from(p, a, id, id.byteSize(), m, m.byteSize()),
                        "creating an inbound session");
            }
        } finally {
            Reference.reachabilityFence(account);
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Restores a session from a libolm pickle.
     *
     * @param pickle the pickle
     * @param pickleKey the key it was encrypted with
     * @return the session; the caller closes it
     * @throws OlmException {@link OlmError#BAD_ACCOUNT_KEY} for a wrong key or an altered pickle
     */
    public static Session fromPickle(String pickle, byte[] pickleKey) {
        return LibolmObject.fromPickle(pickle, pickleKey, PICKLING, Session::new, s -> s.olm);
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
     * libolm's session id: unpadded base64 of SHA-256 over the keys that set the session up.
     *
     * @return the session id
     */
    public synchronized String sessionId() {
        return olm.readAscii(this, olm_session_id_length(olm.pointer()), olm_h::olm_session_id, "reading the session id");
    }

    /**
     * Whether this session has decrypted a message; until then it sends pre-key messages.
     *
     * @return whether a message was decrypted
     */
    public synchronized boolean hasReceivedMessage() {
        return olm.query(this, olm_h::olm_session_has_received_message) != 0;
    }

    /**
     * Whether {@code preKeyMessage} belongs to this (inbound) session, i.e. was sent with the same keys.
     *
     * @param preKeyMessage a pre-key message
     * @return whether it belongs to this session
     */
    public synchronized boolean matchesInbound(OlmMessage preKeyMessage) {
        return matches(null, preKeyMessage);
    }

    /**
     * As {@link #matchesInbound}, also requiring the sender's Curve25519 identity key to be {@code theirIdentityKey}.
     *
     * @param theirIdentityKey the sender's Curve25519 identity key
     * @param preKeyMessage a pre-key message
     * @return whether it belongs to this session and came from that key
     */
    public synchronized boolean matchesInboundFrom(byte[] theirIdentityKey, OlmMessage preKeyMessage) {
        olm.pointer();
        Libolm.requireCurve25519PublicKey(theirIdentityKey, "their identity key");
        return matches(theirIdentityKey, preKeyMessage);
    }

    private boolean matches(byte[] identityKey, OlmMessage message) {
        MemorySegment p = olm.pointer();
        requirePreKey(message);
        byte[] body = message.bodyUnsafe();
        try (Scratch s = olm.scratch(Libolm.base64Length(body.length) + Libolm.base64Length(32) + 2 * Long.BYTES)) {
            MemorySegment m = Libolm.putBase64(s, body);
            long result;
            if (identityKey == null) {
                result = olm_matches_inbound_session(p, m, m.byteSize());
            } else {
                MemorySegment id = Libolm.putBase64(s, identityKey);
                result = olm_matches_inbound_session_from(p, id, id.byteSize(), m, m.byteSize());
            }
            return olm.check(result, "matching a pre-key message") == 1;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Encrypts {@code plaintext}: a pre-key message until this session has received one, then normal ones.
     *
     * @param plaintext the plaintext
     * @return the message
     */
    public synchronized OlmMessage encrypt(byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        MemorySegment p = olm.pointer();
        OlmMessage.Type type = OlmMessage.Type.fromCode(olm_encrypt_message_type(p));
        long randomLength = olm_encrypt_random_length(p);
        long messageLength = olm_encrypt_message_length(p, plaintext.length);
        try (Scratch s = olm.scratch(plaintext.length + randomLength + messageLength + Long.BYTES)) {
            MemorySegment in = Libolm.put(s, plaintext);
            MemorySegment random = s.take(randomLength);
            Libolm.random(random);
            MemorySegment out = s.take(messageLength);
            long written = olm.check(olm_encrypt(p, in, plaintext.length, random, randomLength, out, messageLength),
                    "encrypting an Olm message");
            return new OlmMessage(type, Libolm.getBase64(s, out, written, "Olm message"));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Decrypts a message of this session.
     *
     * @param message the message
     * @return the plaintext
     * @throws OlmException {@link OlmError#BAD_MESSAGE_MAC} for a tampered message or one of another
     *         session, {@link OlmError#BAD_MESSAGE_VERSION}, {@link OlmError#BAD_MESSAGE_FORMAT}
     * @throws PanolmException {@link Status#BAD_PADDING} when the authenticated plaintext is not strictly
     *         padded (only a broken sender does that; the message's key is then used up, as after success)
     */
    public synchronized byte[] decrypt(OlmMessage message) {
        Objects.requireNonNull(message, "message");
        MemorySegment p = olm.pointer();
        byte[] body = message.bodyUnsafe();
        long b64 = Libolm.base64Length(body.length);
        // libolm decodes its input in place, and needs it twice: once to size the plaintext.
        try (Scratch s = olm.scratch(2 * b64 + body.length + Long.BYTES)) {
            MemorySegment first = Libolm.putBase64(s, body);
            MemorySegment second = s.take(b64);
            second.copyFrom(first);
            long type = message.type().code();
            long max = olm.check(olm_decrypt_max_plaintext_length(p, type, first, b64), "decrypting an Olm message");
            MemorySegment out = s.take(max);
            long n = olm.check(olm_decrypt(p, type, second, b64, out, max), "decrypting an Olm message");
            Libolm.requireStrictPadding(out, n, max, "decrypting an Olm message");
            return Libolm.get(out, n);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** For {@link Account#removeOneTimeKeys}: the caller holds the account's lock. */
    synchronized void removeOneTimeKeysFrom(LibolmObject account) {
        try {
            account.check(olm_remove_one_time_keys(account.pointer(), olm.pointer()), "removing a used one-time key");
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    private static void requirePreKey(OlmMessage message) {
        Objects.requireNonNull(message, "message");
        if (message.type() != OlmMessage.Type.PRE_KEY) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "an inbound session needs a pre-key (type 0) message");
        }
    }

    /** Wipes the session's keys from memory. Idempotent. */
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
        return olm.isClosed() ? "Session[closed]" : "Session[" + sessionId() + "]";
    }
}
