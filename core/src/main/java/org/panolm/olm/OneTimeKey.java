package org.panolm.olm;

import java.util.Arrays;
import java.util.Objects;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;

/**
 * A public Curve25519 one-time or fallback key and its key id (libolm: unpadded base64 of a 4-byte
 * big-endian counter, e.g. {@code AAAAAQ}), as uploaded under {@code signed_curve25519:<keyId>}.
 *
 * @param keyId the key id
 * @param publicKey the 32-byte Curve25519 public key
 */
public record OneTimeKey(String keyId, byte[] publicKey) {
    public static final int KEY_LENGTH = 32;

    /** Checks the key's length and keeps a copy. */
    public OneTimeKey {
        Objects.requireNonNull(keyId, "keyId");
        if (publicKey == null || publicKey.length != KEY_LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "one-time key " + keyId + " must be " + KEY_LENGTH + " bytes");
        }
        publicKey = publicKey.clone();
    }

    /**
     * The public key.
     *
     * @return a copy of the 32 bytes
     */
    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * The public key as it is uploaded.
     *
     * @return unpadded base64
     */
    public String publicKeyBase64() {
        return MatrixBase64.encode(publicKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OneTimeKey k && keyId.equals(k.keyId) && Arrays.equals(publicKey, k.publicKey);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode() * 31 + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "OneTimeKey[" + keyId + "=" + publicKeyBase64() + "]";
    }
}
