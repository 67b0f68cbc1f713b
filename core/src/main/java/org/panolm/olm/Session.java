package org.panolm.olm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.Function;

import org.panolm.ErrorDetail;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_olm_h;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.NativeHandle;
import org.panolm.internal.NativeStatus;

/**
 * An Olm 1:1 session ({@code m.olm.v1.curve25519-aes-sha2}) on panolm's native code, byte-compatible with
 * libolm and vodozemac. Out-of-order messages are kept within vodozemac's bounds (5 receiving chains,
 * 40 skipped message keys per chain, at most 2000 messages ahead); a failed decryption changes nothing.
 *
 * <p>Owns native memory: close it to wipe the keys; after {@link #close()} every method throws
 * {@link IllegalStateException}. Thread-safe (the native session locks itself).
 */
public final class Session implements AutoCloseable {
    private final NativeHandle handle;
    private final String sessionId;

    private Session(MemorySegment address) {
        this.handle = new NativeHandle(this, address, panolm_olm_h::panolm_olm_session_free, "Olm session");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment id = arena.allocate(32);
            NativeStatus.check(panolm_olm_h.panolm_olm_session_id(address, id), "session id");
            this.sessionId = MatrixBase64.encode(id.toArray(JAVA_BYTE));
        }
    }

    /**
     * Starts a session to another device from its Curve25519 identity key and one of its one-time (or
     * fallback) keys, as claimed from the server.
     *
     * @param account this device's account
     * @param theirIdentityKey the other device's Curve25519 identity key
     * @param theirOneTimeKey its one-time or fallback key
     * @return the session; the caller closes it
     * @throws PanolmException {@link Status#NON_CONTRIBUTORY} for a low-order key
     */
    public static Session createOutbound(Account account, Curve25519PublicKey theirIdentityKey,
                                         Curve25519PublicKey theirOneTimeKey) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(theirIdentityKey, "theirIdentityKey");
        Objects.requireNonNull(theirOneTimeKey, "theirOneTimeKey");
        return account.call(a -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment id = arena.allocateFrom(JAVA_BYTE, theirIdentityKey.bytesUnsafe());
                MemorySegment otk = arena.allocateFrom(JAVA_BYTE, theirOneTimeKey.bytesUnsafe());
                MemorySegment out = arena.allocate(ADDRESS);
                int rc = panolm_olm_h.panolm_olm_session_new_outbound(a, id, otk, out);
                if (rc != 0) throw OlmException.message(rc, "creating an outbound session");
                return new Session(out.get(ADDRESS, 0));
            }
        });
    }

    /**
     * Creates the receiving side of a session from the first (pre-key) message another device sent.
     * Neither decrypts nor removes the one-time key: decrypt first, then call
     * {@link Account#removeOneTimeKeys(Session)}, or use {@link Account#createInboundSession}, which does
     * all three.
     *
     * @param account this device's account, which holds the one-time key
     * @param preKeyMessage the message (type 0)
     * @return the session; the caller closes it
     * @throws OlmException {@link OlmError#BAD_MESSAGE_KEY_ID} when the account lacks the one-time key
     */
    public static Session createInbound(Account account, OlmMessage preKeyMessage) {
        return inbound(account, null, preKeyMessage);
    }

    /**
     * As {@link #createInbound(Account, OlmMessage)}, also checking the sender's identity key.
     *
     * @param account this device's account
     * @param theirIdentityKey the sender's Curve25519 identity key, from the event
     * @param preKeyMessage the message (type 0)
     * @return the session; the caller closes it
     * @throws OlmException {@link OlmError#SENDER_MISMATCH} when the message comes from another identity key
     */
    public static Session createInboundFrom(Account account, Curve25519PublicKey theirIdentityKey,
                                            OlmMessage preKeyMessage) {
        Objects.requireNonNull(theirIdentityKey, "theirIdentityKey");
        return inbound(account, theirIdentityKey, preKeyMessage);
    }

    private static Session inbound(Account account, Curve25519PublicKey identity, OlmMessage message) {
        Objects.requireNonNull(account, "account");
        requirePreKey(message);
        byte[] body = message.bodyUnsafe();
        return account.call(a -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment id = identity == null ? MemorySegment.NULL
                        : arena.allocateFrom(JAVA_BYTE, identity.bytesUnsafe());
                MemorySegment m = arena.allocateFrom(JAVA_BYTE, body);
                MemorySegment out = arena.allocate(ADDRESS);
                int rc = panolm_olm_h.panolm_olm_session_new_inbound(a, id, m, body.length, out);
                if (rc != 0) throw OlmException.message(rc, "creating an inbound session");
                return new Session(out.get(ADDRESS, 0));
            }
        });
    }

    /**
     * Restores a session from a pickle: panolm's own ({@link #pickle}) or libolm's (told apart by the
     * {@code panolm1:} prefix).
     *
     * @param pickle the pickle text
     * @param pickleKey the key it was pickled with
     * @return the session; the caller closes it
     * @throws OlmException {@link OlmError#BAD_ACCOUNT_KEY} for a wrong key or an altered pickle
     */
    public static Session fromPickle(String pickle, byte[] pickleKey) {
        return unpickle(pickle, pickleKey, !Pickles.isOurs(pickle));
    }

    /**
     * Restores a session from a libolm pickle only.
     *
     * @param pickle libolm's pickle text
     * @param pickleKey the key it was pickled with
     * @return the session; the caller closes it
     */
    public static Session fromLibolmPickle(String pickle, byte[] pickleKey) {
        return unpickle(pickle, pickleKey, true);
    }

    /**
     * Restores a session from vodozemac's encrypted pickle ({@code SessionPickle::encrypt}: libolm's pickle
     * envelope around vodozemac's pickle JSON). Sessions of vodozemac's experimental version 2 (full MACs)
     * are refused.
     *
     * @param pickle the pickle text (unpadded base64)
     * @param pickleKey vodozemac's pickle key (32 bytes)
     * @return the session; the caller closes it
     * @throws OlmException {@link OlmError#BAD_ACCOUNT_KEY} for a wrong key or an altered pickle,
     *         {@link OlmError#CORRUPTED_PICKLE} naming the field, {@link OlmError#UNKNOWN_PICKLE_VERSION}
     */
    public static Session fromVodozemacPickle(String pickle, byte[] pickleKey) {
        return new Session(Pickles.readVodozemac(pickle, pickleKey, "vodozemac session pickle",
                panolm_olm_h::panolm_olm_session_from_vodozemac_pickle));
    }

    /**
     * Restores a session from vodozemac's pickle JSON ({@code SessionPickle} as serde writes it), as is, or
     * inside a matrix-sdk-crypto store record (its {@code "pickle"} field). The caller wipes {@code json}
     * afterwards; the native copy is wiped here.
     *
     * @param json the JSON text, UTF-8
     * @return the session; the caller closes it
     * @throws OlmException as {@link #fromVodozemacPickle}
     */
    public static Session fromVodozemacJson(byte[] json) {
        return new Session(Pickles.readVodozemacJson(json, "vodozemac session JSON",
                panolm_olm_h::panolm_olm_session_from_vodozemac_json));
    }

    private static Session unpickle(String pickle, byte[] key, boolean libolm) {
        return new Session(Pickles.read(pickle, key, libolm ? "libolm session pickle" : "session pickle",
                libolm ? panolm_olm_h::panolm_olm_session_from_libolm_pickle : panolm_olm_h::panolm_olm_session_unpickle));
    }

    /**
     * The session encrypted under {@code pickleKey} in panolm's pickle format.
     *
     * @param pickleKey the key (any length up to 1024 bytes)
     * @return {@code panolm1:} and unpadded base64
     */
    public String pickle(byte[] pickleKey) {
        return call(p -> Pickles.write(p, pickleKey, panolm_olm_h::panolm_olm_session_pickle, "session " + sessionId));
    }

    /**
     * The session in libolm's pickle format. libolm keeps at most 40 skipped message keys in all; a session
     * holding more (possible only with messages far out of order on several chains) loses the oldest.
     *
     * @param pickleKey the key
     * @return libolm's pickle text
     */
    public String toLibolmPickle(byte[] pickleKey) {
        return call(p -> Pickles.write(p, pickleKey, panolm_olm_h::panolm_olm_session_to_libolm_pickle,
                "session " + sessionId));
    }

    /**
     * libolm's and vodozemac's session id.
     *
     * @return unpadded base64 of SHA-256 over the keys that set the session up
     */
    public String sessionId() {
        handle.acquire();
        handle.release();
        return sessionId;
    }

    /**
     * The keys that set the session up.
     *
     * @return the initiator's identity and base keys and the one-time key
     */
    public SessionKeys keys() {
        return call(p -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment id = arena.allocate(32);
                MemorySegment base = arena.allocate(32);
                MemorySegment otk = arena.allocate(32);
                NativeStatus.check(panolm_olm_h.panolm_olm_session_keys(p, id, base, otk), "session keys");
                return new SessionKeys(new Curve25519PublicKey(id.toArray(JAVA_BYTE)),
                        new Curve25519PublicKey(base.toArray(JAVA_BYTE)), new Curve25519PublicKey(otk.toArray(JAVA_BYTE)));
            }
        });
    }

    /**
     * Whether this session has decrypted a message; until then it sends pre-key messages.
     *
     * @return true once a message decrypted
     */
    public boolean hasReceivedMessage() {
        return call(p -> panolm_olm_h.panolm_olm_session_has_received_message(p) != 0);
    }

    /**
     * Whether a pre-key message belongs to this (inbound) session, i.e. was sent with the same keys.
     *
     * @param preKeyMessage the message (type 0)
     * @return true when it does; false also for a malformed message
     */
    public boolean matchesInbound(OlmMessage preKeyMessage) {
        return matches(null, preKeyMessage);
    }

    /**
     * As {@link #matchesInbound}, also requiring the sender's identity key.
     *
     * @param theirIdentityKey the sender's Curve25519 identity key
     * @param preKeyMessage the message (type 0)
     * @return true when it matches
     */
    public boolean matchesInboundFrom(Curve25519PublicKey theirIdentityKey, OlmMessage preKeyMessage) {
        Objects.requireNonNull(theirIdentityKey, "theirIdentityKey");
        return matches(theirIdentityKey, preKeyMessage);
    }

    private boolean matches(Curve25519PublicKey identity, OlmMessage message) {
        requirePreKey(message);
        byte[] body = message.bodyUnsafe();
        return call(p -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment id = identity == null ? MemorySegment.NULL
                        : arena.allocateFrom(JAVA_BYTE, identity.bytesUnsafe());
                MemorySegment m = arena.allocateFrom(JAVA_BYTE, body);
                MemorySegment result = arena.allocate(JAVA_INT);
                NativeStatus.check(panolm_olm_h.panolm_olm_session_matches_inbound(p, id, m, body.length, result),
                        "matching a pre-key message");
                return result.get(JAVA_INT, 0) == 1;
            }
        });
    }

    /**
     * Encrypts: a pre-key message until this session has received one, then normal ones.
     *
     * @param plaintext at most 16 MiB
     * @return the message
     */
    public OlmMessage encrypt(byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        long max = panolm_olm_h.panolm_olm_encrypted_max_length(plaintext.length);
        if (max == 0) {
            throw new OlmException(OlmError.PLAINTEXT_TOO_LARGE, "encrypting " + plaintext.length + " bytes");
        }
        return call(p -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment in = arena.allocateFrom(JAVA_BYTE, plaintext);
                MemorySegment out = arena.allocate(max);
                MemorySegment outLength = arena.allocate(JAVA_LONG);
                MemorySegment type = arena.allocate(JAVA_INT);
                int rc = panolm_olm_h.panolm_olm_session_encrypt(p, in, plaintext.length, out, max, outLength, type);
                in.fill((byte) 0);
                if (rc != 0) throw OlmException.message(rc, ErrorDetail.of("encrypting").withSubject("session " + sessionId));
                return new OlmMessage(OlmMessage.Type.fromCode(type.get(JAVA_INT, 0)),
                        out.asSlice(0, outLength.get(JAVA_LONG, 0)).toArray(JAVA_BYTE));
            }
        });
    }

    /**
     * Decrypts a message of this session.
     *
     * @param message the message
     * @return the plaintext
     * @throws OlmException {@link OlmError#BAD_MESSAGE_MAC} for an altered message or one of another
     *         session, {@link OlmError#MISSING_MESSAGE_KEY} for a replay or a message whose key was dropped,
     *         {@link OlmError#MESSAGE_GAP_TOO_LARGE}, {@link OlmError#BAD_MESSAGE_VERSION},
     *         {@link OlmError#BAD_MESSAGE_FORMAT}, {@link OlmError#BAD_PADDING},
     *         {@link OlmError#NON_CONTRIBUTORY_KEY}
     */
    public byte[] decrypt(OlmMessage message) {
        Objects.requireNonNull(message, "message");
        byte[] body = message.bodyUnsafe();
        long max = panolm_olm_h.panolm_olm_decrypt_max_plaintext_length(body.length);
        return call(p -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment in = arena.allocateFrom(JAVA_BYTE, body);
                MemorySegment out = arena.allocate(Math.max(1, max));
                MemorySegment outLength = arena.allocate(JAVA_LONG);
                int rc = panolm_olm_h.panolm_olm_session_decrypt(p, message.type().code(), in, body.length, out, max,
                        outLength);
                if (rc != 0) throw OlmException.message(rc,
                        ErrorDetail.of("decrypting a " + message.type() + " message").withSubject("session " + sessionId));
                byte[] plaintext = out.asSlice(0, outLength.get(JAVA_LONG, 0)).toArray(JAVA_BYTE);
                out.fill((byte) 0);
                return plaintext;
            }
        });
    }

    /** The address for a call, under a lease; the batch holds leases for its whole run. */
    <T> T call(Function<MemorySegment, T> f) {
        MemorySegment p = handle.acquire();
        try {
            return f.apply(p);
        } finally {
            handle.release();
        }
    }

    MemorySegment acquire() {
        return handle.acquire();
    }

    void release() {
        handle.release();
    }

    private static void requirePreKey(OlmMessage message) {
        Objects.requireNonNull(message, "message");
        if (message.type() != OlmMessage.Type.PRE_KEY) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "an inbound session needs a pre-key (type 0) message");
        }
    }

    /** Wipes the session's keys from memory. Idempotent. */
    @Override
    public void close() {
        handle.close();
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return handle.isClosed();
    }

    @Override
    public String toString() {
        return handle.isClosed() ? "Session[closed]" : "Session[" + sessionId + "]";
    }
}
