package org.panolm.olm;

import java.util.Arrays;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.subtle.Ed25519;

/** An Ed25519 public key (32 bytes), e.g. a device's signing identity key. Public value. */
public record Ed25519PublicKey(byte[] bytes) {
    public static final int LENGTH = 32;

    public Ed25519PublicKey {
        if (bytes == null || bytes.length != LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "an Ed25519 public key must be " + LENGTH + " bytes");
        }
        bytes = bytes.clone();
    }

    public static Ed25519PublicKey fromBase64(String base64) {
        return new Ed25519PublicKey(MatrixBase64.decode(base64, LENGTH, "Ed25519 public key"));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public String toBase64() {
        return MatrixBase64.encode(bytes);
    }

    /** Whether {@code signature} (64 bytes) is this key's signature of {@code message}; strict verification. */
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
