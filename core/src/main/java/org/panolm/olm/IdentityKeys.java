package org.panolm.olm;

import java.util.Objects;

/**
 * A device's long-term public keys: Curve25519 for Olm key agreement, Ed25519 for signatures. Public
 * values: printing them is fine.
 *
 * @param curve25519 the Curve25519 identity key
 * @param ed25519 the Ed25519 signing key
 */
public record IdentityKeys(Curve25519PublicKey curve25519, Ed25519PublicKey ed25519) {
    /**
     * Checks both keys are given.
     *
     * @param curve25519 the Curve25519 identity key
     * @param ed25519 the Ed25519 signing key
     */
    public IdentityKeys {
        Objects.requireNonNull(curve25519, "curve25519");
        Objects.requireNonNull(ed25519, "ed25519");
    }

    /**
     * The Curve25519 key as events carry it.
     *
     * @return unpadded base64
     */
    public String curve25519Base64() {
        return curve25519.toBase64();
    }

    /**
     * The Ed25519 key as Matrix JSON carries it.
     *
     * @return unpadded base64
     */
    public String ed25519Base64() {
        return ed25519.toBase64();
    }

    /**
     * The JSON libolm's {@code olm_account_identity_keys} writes.
     *
     * @return {@code {"curve25519":"…","ed25519":"…"}}
     */
    public String toJson() {
        return "{\"curve25519\":\"" + curve25519Base64() + "\",\"ed25519\":\"" + ed25519Base64() + "\"}";
    }

    @Override
    public String toString() {
        return "IdentityKeys[curve25519=" + curve25519Base64() + ", ed25519=" + ed25519Base64() + "]";
    }
}
