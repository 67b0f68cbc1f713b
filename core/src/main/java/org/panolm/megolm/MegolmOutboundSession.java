package org.panolm.megolm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_megolm_h;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.NativeStatus;

/**
 * A sending Megolm session on panolm's native engine (OpenSSL AES and HMAC, libsodium Ed25519): the same
 * shape as the libolm-backed {@code OutboundGroupSession}, byte-compatible with it. Thread-safe: calls
 * are serialised. Close it to wipe the ratchet and the signing key; use after close throws
 * {@link IllegalStateException}.
 */
public final class MegolmOutboundSession implements AutoCloseable {
    /** The length of the ratchet, in bytes. */
    public static final int RATCHET_LENGTH = 128;
    /** The length of the Ed25519 seed, in bytes. */
    public static final int SEED_LENGTH = 32;

    private final NativeHandle handle;
    private final String sessionId;

    private MegolmOutboundSession(MemorySegment address) {
        this.handle = new NativeHandle(this, address, panolm_megolm_h::panolm_megolm_outbound_free,
                "Megolm outbound session");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pub = arena.allocate(32);
            NativeStatus.check(panolm_megolm_h.panolm_megolm_outbound_public_key(address, pub), "session id");
            this.sessionId = MatrixBase64.encode(pub.toArray(JAVA_BYTE));
        }
    }

    /**
     * A new session with a random ratchet and signing key, at index 0.
     *
     * @return the session; the caller closes it
     */
    public static MegolmOutboundSession create() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            NativeStatus.check(panolm_megolm_h.panolm_megolm_outbound_new(out), "create outbound session");
            return new MegolmOutboundSession(out.get(ValueLayout.ADDRESS, 0));
        }
    }

    /**
     * A session from known parts: a 128-byte ratchet at {@code index} and a 32-byte Ed25519 seed. For
     * known-answer tests and migrations; fresh sessions come from {@link #create()}.
     *
     * @param ratchet the 128-byte ratchet
     * @param index its index
     * @param seed the 32-byte Ed25519 seed
     * @return the session; the caller closes it
     */
    public static MegolmOutboundSession fromParts(byte[] ratchet, long index, byte[] seed) {
        if (ratchet == null || ratchet.length != RATCHET_LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "ratchet must be " + RATCHET_LENGTH + " bytes");
        }
        if (seed == null || seed.length != SEED_LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "Ed25519 seed must be " + SEED_LENGTH + " bytes");
        }
        checkIndex(index);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = arena.allocateFrom(JAVA_BYTE, ratchet);
            MemorySegment s = arena.allocateFrom(JAVA_BYTE, seed);
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            int rc = panolm_megolm_h.panolm_megolm_outbound_from_parts(r, (int) index, s, out);
            r.fill((byte) 0);
            s.fill((byte) 0);
            NativeStatus.check(rc, "outbound session from parts");
            return new MegolmOutboundSession(out.get(ValueLayout.ADDRESS, 0));
        }
    }

    static void checkIndex(long index) {
        if (index < 0 || index > 0xFFFFFFFFL) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "message index " + index + " is not a uint32");
        }
    }

    /**
     * The unpadded base64 of the session's Ed25519 public key.
     *
     * @return the session id
     */
    public String sessionId() {
        return sessionId;
    }

    /**
     * The index the next message will be encrypted at.
     *
     * @return the index
     */
    public synchronized long messageIndex() {
        MemorySegment s = handle.acquire();
        try {
            return Integer.toUnsignedLong(panolm_megolm_h.panolm_megolm_outbound_index(s));
        } finally {
            handle.release();
        }
    }

    /**
     * The signed session key (sharing format v2) at the current index, for {@code m.room_key}.
     *
     * @return the session key
     */
    public synchronized SessionKey sessionKey() {
        MemorySegment s = handle.acquire();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(SessionKey.LENGTH);
            try {
                NativeStatus.check(panolm_megolm_h.panolm_megolm_outbound_session_key(s, out), "session key");
                byte[] bytes = out.toArray(JAVA_BYTE);
                SessionKey key = new SessionKey(bytes);
                java.util.Arrays.fill(bytes, (byte) 0);
                return key;
            } finally {
                out.fill((byte) 0);
            }
        } finally {
            handle.release();
        }
    }

    /**
     * Encrypts at the current index and advances; returns the base64 {@code ciphertext} of the event.
     *
     * @param plaintext the plaintext (UTF-8 JSON of the event)
     * @return the base64 ciphertext
     */
    public String encrypt(byte[] plaintext) {
        return new String(encryptToAscii(plaintext), StandardCharsets.US_ASCII);
    }

    /**
     * Encrypts text at the current index and advances; returns the base64 {@code ciphertext} of the event.
     *
     * @param plaintext the plaintext (JSON of the event)
     * @return the base64 ciphertext
     */
    public String encrypt(String plaintext) {
        return encrypt(plaintext.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Like {@link #encrypt(byte[])}, as ASCII bytes.
     *
     * @param plaintext the plaintext (UTF-8 JSON of the event)
     * @return the base64 ciphertext as ASCII bytes
     */
    public synchronized byte[] encryptToAscii(byte[] plaintext) {
        long max = panolm_megolm_h.panolm_megolm_encrypted_length(plaintext.length);
        if (max == 0) {
            throw new PanolmException(Status.TOO_LARGE, "plaintext of " + plaintext.length + " bytes");
        }
        MemorySegment s = handle.acquire();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocateFrom(JAVA_BYTE, plaintext);
            MemorySegment out = arena.allocate(max);
            MemorySegment outLen = arena.allocate(JAVA_LONG);
            int rc = panolm_megolm_h.panolm_megolm_outbound_encrypt(s, in, plaintext.length, out, max, outLen);
            in.fill((byte) 0);
            NativeStatus.check(rc, "encrypt");
            return out.asSlice(0, outLen.get(JAVA_LONG, 0)).toArray(JAVA_BYTE);
        } finally {
            handle.release();
        }
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return handle.isClosed();
    }

    /** Wipes and frees the native session. Idempotent. */
    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return "MegolmOutboundSession[" + sessionId + "]";
    }
}
