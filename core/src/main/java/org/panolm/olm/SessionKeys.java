package org.panolm.olm;

import java.util.Objects;

/**
 * The public keys that set an Olm session up, whichever side holds it: the initiator's Curve25519
 * identity key and its ephemeral base key, and the recipient's one-time (or fallback) key. The session
 * id is the SHA-256 of the three.
 *
 * @param identityKey the initiator's Curve25519 identity key
 * @param baseKey the initiator's ephemeral base key
 * @param oneTimeKey the recipient's one-time or fallback key the session was started from
 */
public record SessionKeys(Curve25519PublicKey identityKey, Curve25519PublicKey baseKey,
                          Curve25519PublicKey oneTimeKey) {
    /**
     * Checks the three keys are given.
     *
     * @param identityKey the initiator's Curve25519 identity key
     * @param baseKey the initiator's ephemeral base key
     * @param oneTimeKey the recipient's one-time or fallback key
     */
    public SessionKeys {
        Objects.requireNonNull(identityKey, "identityKey");
        Objects.requireNonNull(baseKey, "baseKey");
        Objects.requireNonNull(oneTimeKey, "oneTimeKey");
    }
}
