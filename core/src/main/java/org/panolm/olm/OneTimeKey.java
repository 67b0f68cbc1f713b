package org.panolm.olm;

import java.util.Objects;

import org.panolm.encoding.MatrixBase64;

/**
 * A public Curve25519 one-time or fallback key and its key id: the unpadded base64 of the account's
 * 4-byte big-endian key counter (libolm's ids, e.g. {@code AAAAAQ}), uploaded under
 * {@code signed_curve25519:<keyId>}.
 *
 * @param keyId the key id
 * @param publicKey the public key
 */
public record OneTimeKey(String keyId, Curve25519PublicKey publicKey) {
    /**
     * Checks both parts are given.
     *
     * @param keyId the key id
     * @param publicKey the public key
     */
    public OneTimeKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(publicKey, "publicKey");
    }

    /** The key of counter value {@code id}, as libolm names it. */
    static OneTimeKey of(int id, byte[] publicKey) {
        byte[] be = {(byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
        return new OneTimeKey(MatrixBase64.encode(be), new Curve25519PublicKey(publicKey));
    }

    /**
     * The public key as a key upload carries it.
     *
     * @return unpadded base64
     */
    public String publicKeyBase64() {
        return publicKey.toBase64();
    }

    @Override
    public String toString() {
        return "OneTimeKey[" + keyId + "=" + publicKeyBase64() + "]";
    }
}
