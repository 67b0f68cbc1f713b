package org.panolm.engine;

import java.util.Objects;

import org.panolm.trust.DeviceTrust;

/**
 * How far we trust a device, and on what: cross-signing (the device is signed by its owner's self-signing key,
 * and the owner is our user with a trusted identity or a user our user-signing key signed), a local mark (we
 * verified the device itself), or both.
 *
 * @param trust the device's trust, all grounds counted
 * @param throughCrossSigning whether it is verified through cross-signing alone, local marks left out
 * @param locallyVerified whether we marked it verified ourselves (a verification, or keys compared by hand)
 */
public record DeviceVerification(DeviceTrust trust, boolean throughCrossSigning, boolean locallyVerified) {
    /** Checks the trust is given. */
    public DeviceVerification {
        Objects.requireNonNull(trust, "trust");
    }

    /**
     * Whether the device is verified, on any ground.
     *
     * @return true when it is
     */
    public boolean isVerified() {
        return trust.isTrusted();
    }
}
