package org.panolm.trust;

/** How far this device trusts another device (one of our own, or another user's). */
public enum DeviceTrust {
    /** Verified directly (SAS/QR with that device), or cross-signed by its owner whom we verified. */
    VERIFIED,
    /** Cross-signed by its owner's self-signing key, but we have not verified the owner. */
    SIGNED_BY_OWNER,
    /** Not cross-signed by its owner: possibly not the owner's device at all. */
    UNSIGNED,
    /** Its key object does not carry a valid signature by its own key: never trust it. */
    INVALID;

    /**
     * Whether to trust the device: only when it is {@link #VERIFIED}.
     *
     * @return true for {@code VERIFIED}
     */
    public boolean isTrusted() {
        return this == VERIFIED;
    }
}
