package org.panolm.megolm;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.panolm.PanolmException;
import org.panolm.Status;
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
        if (bytes == null || bytes.length != LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "session key must be " + LENGTH + " bytes");
        }
        if (bytes[0] != VERSION) {
            throw new PanolmException(Status.BAD_VERSION, "session key version must be 2");
        }
        bytes = bytes.clone();
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
        return Integer.toUnsignedLong(ByteBuffer.wrap(bytes, 1, 4).getInt());
    }

    /** The session id: the unpadded base64 of the Ed25519 public key. */
    public String sessionId() {
        return MatrixBase64.encode(Arrays.copyOfRange(bytes, 133, 165));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionKey k && java.security.MessageDigest.isEqual(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return sessionId().hashCode();
    }

    @Override
    public String toString() {
        return "SessionKey[session=" + sessionId() + ", index=" + firstIndex() + "]";
    }
}
