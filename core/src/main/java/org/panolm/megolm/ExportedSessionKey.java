package org.panolm.megolm;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.panolm.PanolmException;
import org.panolm.Status;
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
        if (bytes == null || bytes.length != LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "exported session key must be " + LENGTH + " bytes");
        }
        if (bytes[0] != VERSION) {
            throw new PanolmException(Status.BAD_VERSION, "exported session key version must be 1");
        }
        bytes = bytes.clone();
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
        return Integer.toUnsignedLong(ByteBuffer.wrap(bytes, 1, 4).getInt());
    }

    public String sessionId() {
        return MatrixBase64.encode(Arrays.copyOfRange(bytes, 133, 165));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExportedSessionKey k && java.security.MessageDigest.isEqual(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return sessionId().hashCode();
    }

    @Override
    public String toString() {
        return "ExportedSessionKey[session=" + sessionId() + ", index=" + firstIndex() + "]";
    }
}
