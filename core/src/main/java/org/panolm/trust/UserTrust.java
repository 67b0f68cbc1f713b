package org.panolm.trust;

/** How far this device trusts a user's cross-signing identity. */
public enum UserTrust {
    /** Our user-signing key signed their master key (or, for our own user, we trust our master key). */
    VERIFIED,
    /** Never verified. */
    UNVERIFIED,
    /**
     * We verified this user before, and their master key changed (or lost our signature) since: a possible
     * attack, or a reset the user must confirm. Clients warn until the user re-verifies or accepts it.
     */
    VERIFICATION_VIOLATION
}
