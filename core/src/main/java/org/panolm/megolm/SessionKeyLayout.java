package org.panolm.megolm;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;

/**
 * What {@link SessionKey} and {@link ExportedSessionKey} share: both start
 * {@code version | index (u32 BE) | ratchet (128) | Ed25519 public key (32)}; the sharing format adds a
 * signature after that.
 */
final class SessionKeyLayout {
    private static final int KEY_START = 133;
    private static final int KEY_END = 165;

    private SessionKeyLayout() {}

    /** A copy of {@code bytes} after checking its length and version byte ({@code name} for errors). */
    static byte[] validCopy(byte[] bytes, int length, byte version, String name) {
        if (bytes == null || bytes.length != length) {
            throw new PanolmException(Status.BAD_KEY, name + " must be " + length + " bytes");
        }
        if (bytes[0] != version) {
            throw new PanolmException(Status.BAD_VERSION, name + " version must be " + version);
        }
        return bytes.clone();
    }

    static long firstIndex(byte[] bytes) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(bytes, 1, 4).getInt());
    }

    /** The session id: the unpadded base64 of the Ed25519 public key. */
    static String sessionId(byte[] bytes) {
        return MatrixBase64.encode(Arrays.copyOfRange(bytes, KEY_START, KEY_END));
    }

    /** Constant-time, as the bytes hold the ratchet. */
    static boolean sameBytes(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    /** The public parts only: the ratchet is secret. */
    static String describe(String type, byte[] bytes) {
        return type + "[session=" + sessionId(bytes) + ", index=" + firstIndex(bytes) + "]";
    }
}
