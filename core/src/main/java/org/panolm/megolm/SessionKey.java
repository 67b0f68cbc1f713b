package org.panolm.megolm;

import org.panolm.encoding.MatrixBase64;

/**
 * A Megolm session key in the sharing format (version 2, the {@code session_key} of {@code m.room_key}):
 * {@code 0x02 | index (u32 BE) | ratchet (128) | Ed25519 public key (32) | signature (64)}, 229 bytes.
 * The signature is checked by whoever imports it, not here. Holds a secret: {@link #toString()} hides it.
 */
public record SessionKey(byte[] bytes) {
    public static final int LENGTH = 229;
    public static final byte VERSION = 2;

    public SessionKey {
        bytes = SessionKeyLayout.validCopy(bytes, LENGTH, VERSION, "session key");
    }

    public static SessionKey fromBase64(String text) {
        return new SessionKey(MatrixBase64.decode(text, "session_key"));
    }

    public String toBase64() {
        return MatrixBase64.encode(bytes);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public long firstIndex() {
        return SessionKeyLayout.firstIndex(bytes);
    }

    /** The session id: the unpadded base64 of the Ed25519 public key. */
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
