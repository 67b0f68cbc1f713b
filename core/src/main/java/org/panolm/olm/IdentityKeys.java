package org.panolm.olm;

import java.util.Arrays;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;

/**
 * A device's long-term public keys: Curve25519 for Olm key agreement, Ed25519 for signatures (32 bytes
 * each). Public values: printing them is fine.
 *
 * @param curve25519 the Curve25519 identity key
 * @param ed25519 the Ed25519 fingerprint key
 */
public record IdentityKeys(byte[] curve25519, byte[] ed25519) {
    public static final int KEY_LENGTH = 32;

    /** Checks the keys' lengths and keeps copies. */
    public IdentityKeys {
        if (curve25519 == null || curve25519.length != KEY_LENGTH || ed25519 == null || ed25519.length != KEY_LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "identity keys must be " + KEY_LENGTH + " bytes each");
        }
        curve25519 = curve25519.clone();
        ed25519 = ed25519.clone();
    }

    /**
     * The Curve25519 identity key.
     *
     * @return a copy of the 32 bytes
     */
    @Override
    public byte[] curve25519() {
        return curve25519.clone();
    }

    /**
     * The Ed25519 fingerprint key.
     *
     * @return a copy of the 32 bytes
     */
    @Override
    public byte[] ed25519() {
        return ed25519.clone();
    }

    /**
     * The Curve25519 key as {@code /keys/upload} carries it.
     *
     * @return unpadded base64
     */
    public String curve25519Base64() {
        return MatrixBase64.encode(curve25519);
    }

    /**
     * The Ed25519 key as {@code /keys/upload} carries it.
     *
     * @return unpadded base64
     */
    public String ed25519Base64() {
        return MatrixBase64.encode(ed25519);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdentityKeys k && Arrays.equals(curve25519, k.curve25519) && Arrays.equals(ed25519, k.ed25519);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(curve25519) * 31 + Arrays.hashCode(ed25519);
    }

    @Override
    public String toString() {
        return "IdentityKeys[curve25519=" + curve25519Base64() + ", ed25519=" + ed25519Base64() + "]";
    }
}
