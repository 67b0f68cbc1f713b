package org.panolm.megolm;

import org.panolm.encoding.MatrixBase64;

/**
 * A Megolm session key in the sharing format (version 2, the {@code session_key} of {@code m.room_key}):
 * {@code 0x02 | index (u32 BE) | ratchet (128) | Ed25519 public key (32) | signature (64)}, 229 bytes.
 * The signature is checked by whoever imports it, not here. Holds a secret: {@link #toString()} hides it.
 *
 * @param bytes the 229 bytes of the key
 */
public record SessionKey(byte[] bytes) {
    public static final int LENGTH = 229;
    public static final byte VERSION = 2;

    /** Checks the length and version, and keeps a copy. */
    public SessionKey {
        bytes = SessionKeyLayout.validCopy(bytes, LENGTH, VERSION, "session key");
    }

    /**
     * Decodes the base64 form (padded or not).
     *
     * @param text the key in base64
     * @return the key
     */
    public static SessionKey fromBase64(String text) {
        return new SessionKey(MatrixBase64.decode(text, "session_key"));
    }

    /**
     * The key in unpadded base64, as {@code m.room_key} carries it.
     *
     * @return the base64 text
     */
    public String toBase64() {
        return MatrixBase64.encode(bytes);
    }

    /**
     * The key's bytes.
     *
     * @return a copy of the 229 bytes; the caller wipes it
     */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * The first message index the key can decrypt.
     *
     * @return the index
     */
    public long firstIndex() {
        return SessionKeyLayout.firstIndex(bytes);
    }

    /**
     * The session id: the unpadded base64 of the Ed25519 public key.
     *
     * @return the session id
     */
    public String sessionId() {
        return SessionKeyLayout.sessionId(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionKey k && SessionKeyLayout.sameBytes(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return sessionId().hashCode();
    }

    @Override
    public String toString() {
        return SessionKeyLayout.describe("SessionKey", bytes);
    }
}
