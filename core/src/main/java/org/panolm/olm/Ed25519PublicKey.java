package org.panolm.olm;

import java.util.Arrays;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.subtle.Ed25519;

/**
 * An Ed25519 public key (32 bytes), e.g. a device's signing identity key. Public value.
 *
 * @param bytes the 32 key bytes (copied)
 */
public record Ed25519PublicKey(byte[] bytes) {
    /** The length of a key, in bytes. */
    public static final int LENGTH = 32;

    /**
     * Checks the length and copies the bytes.
     *
     * @param bytes the 32 key bytes
     */
    public Ed25519PublicKey {
        if (bytes == null || bytes.length != LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "an Ed25519 public key must be " + LENGTH + " bytes");
        }
        bytes = bytes.clone();
    }

    /**
     * From the unpadded (or padded) base64 that Matrix JSON carries.
     *
     * @param base64 the key's base64
     * @return the key
     */
    public static Ed25519PublicKey fromBase64(String base64) {
        return new Ed25519PublicKey(MatrixBase64.decode(base64, LENGTH, "Ed25519 public key"));
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

    /**
     * The key as Matrix JSON carries it.
     *
     * @return unpadded base64
     */
    public String toBase64() {
        return MatrixBase64.encode(bytes);
    }

    /**
     * Whether {@code signature} is this key's signature of {@code message} (strict verification).
     *
     * @param message the signed bytes
     * @param signature the 64-byte signature
     * @return true when it verifies
     */
    public boolean verify(byte[] message, byte[] signature) {
        return Ed25519.verify(bytes, message, signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ed25519PublicKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Ed25519PublicKey[" + toBase64() + "]";
    }
}
