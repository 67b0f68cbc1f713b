package org.panolm.megolm;

import org.panolm.encoding.MatrixBase64;

/**
 * A Megolm session key in the export format (version 1, used by forwarding, backups and export files):
 * {@code 0x01 | index (u32 BE) | ratchet (128) | Ed25519 public key (32)}, 165 bytes, unsigned.
 * Holds a secret: {@link #toString()} hides it.
 */
public record ExportedSessionKey(byte[] bytes) {
    public static final int LENGTH = 165;
    public static final byte VERSION = 1;

    public ExportedSessionKey {
        bytes = SessionKeyLayout.validCopy(bytes, LENGTH, VERSION, "exported session key");
    }

    public static ExportedSessionKey fromBase64(String text) {
        return new ExportedSessionKey(MatrixBase64.decode(text, "session_key"));
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

    public String sessionId() {
        return SessionKeyLayout.sessionId(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExportedSessionKey k && SessionKeyLayout.sameBytes(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return sessionId().hashCode();
    }

    @Override
    public String toString() {
        return SessionKeyLayout.describe("ExportedSessionKey", bytes);
    }
}
