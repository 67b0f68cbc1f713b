package org.panolm.olm;

import java.util.Arrays;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;

/**
 * A Curve25519 public key (32 bytes): a device's identity key, a one-time or fallback key, a ratchet
 * key. Public value: printing it is fine. Whether it is of low order is checked where it is used
 * ({@link Status#NON_CONTRIBUTORY}).
 *
 * @param bytes the 32 key bytes (copied)
 */
public record Curve25519PublicKey(byte[] bytes) {
    /** The length of a key, in bytes. */
    public static final int LENGTH = 32;

    /**
     * Checks the length and copies the bytes.
     *
     * @param bytes the 32 key bytes
     */
    public Curve25519PublicKey {
        if (bytes == null || bytes.length != LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "a Curve25519 public key must be " + LENGTH + " bytes");
        }
        bytes = bytes.clone();
    }

    /**
     * From the unpadded (or padded) base64 that Matrix events and key uploads carry.
     *
     * @param base64 the key's base64
     * @return the key
     */
    public static Curve25519PublicKey fromBase64(String base64) {
        return new Curve25519PublicKey(MatrixBase64.decode(base64, LENGTH, "Curve25519 public key"));
    }

    /**
     * The key bytes.
     *
     * @return a copy of the 32 bytes
     */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Without copying, for this package's native calls. */
    byte[] bytesUnsafe() {
        return bytes;
    }

    /**
     * The key as events carry it.
     *
     * @return unpadded base64
     */
    public String toBase64() {
        return MatrixBase64.encode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Curve25519PublicKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Curve25519PublicKey[" + toBase64() + "]";
    }
}
