package org.panolm.crosssigning;

import org.panolm.PanolmException;
import org.panolm.Status;

/**
 * The signature chains of cross-signing (docs/formats.md §8.3): a device ← its user's self-signing key ← that
 * user's master key, and another user's master key ← my user-signing key ← my master key. Each check throws
 * {@code BAD_SIGNATURE} naming the link that failed, or returns normally. Whether the root (a master key)
 * is trusted is the caller's fact, not something signatures can establish.
 */
public final class CrossSigningChains {
    private CrossSigningChains() {}

    /**
     * The self-signing key exists and the master key signed it.
     *
     * @param keys the user's keys
     */
    public static void verifySelfSigningKey(UserCrossSigningKeys keys) {
        CrossSigningKey ssk = keys.selfSigningKey().orElseThrow(() ->
                new PanolmException(Status.BAD_SIGNATURE, keys.userId() + " has no self-signing key"));
        ssk.verifySignedBy(keys.master());
    }

    /**
     * The user-signing key exists and the master key signed it.
     *
     * @param keys the user's keys
     */
    public static void verifyUserSigningKey(UserCrossSigningKeys keys) {
        CrossSigningKey usk = keys.userSigningKey().orElseThrow(() ->
                new PanolmException(Status.BAD_SIGNATURE, keys.userId() + " has no user-signing key"));
        usk.verifySignedBy(keys.master());
    }

    /**
     * device ← self-signing key ← master key, and the device signed itself.
     *
     * @param device the device's keys
     * @param owner its owner's cross-signing keys
     */
    public static void verifyDevice(DeviceKeys device, UserCrossSigningKeys owner) {
        String who = device.userId() + "/" + device.deviceId();
        if (!device.userId().equals(owner.userId())) {
            throw new PanolmException(Status.BAD_SIGNATURE, "device " + who + " is checked against " + owner.userId() + "'s keys");
        }
        if (device.deviceId().equals(owner.master().publicKey())
                || owner.selfSigningKey().map(k -> k.publicKey().equals(device.deviceId())).orElse(false)) {
            // Device ids and cross-signing keys share the "ed25519:<id>" namespace: such a device could pass
            // off a device signature as a cross-signing one.
            throw new PanolmException(Status.BAD_KEY, "device " + who + " has the id of a cross-signing key");
        }
        if (!device.isSelfSigned()) {
            throw new PanolmException(Status.BAD_SIGNATURE, "device keys of " + who + " are not signed by the device");
        }
        verifySelfSigningKey(owner);
        if (!device.isSignedBy(owner.selfSigning())) {
            throw new PanolmException(Status.BAD_SIGNATURE, "device " + who + " is not signed by its user's self-signing key");
        }
    }

    /**
     * their master key ← my user-signing key ← my master key.
     *
     * @param other the other user's keys
     * @param mine our keys
     */
    public static void verifyUser(UserCrossSigningKeys other, UserCrossSigningKeys mine) {
        if (other.userId().equals(mine.userId())) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "our own identity is not verified through the user-signing key");
        }
        verifyUserSigningKey(mine);
        other.master().verifySignedBy(mine.userSigning());
    }

    /**
     * Whether {@link #verifyDevice} passes.
     *
     * @param device the device's keys
     * @param owner its owner's cross-signing keys
     * @return true when the device is cross-signed by its owner
     */
    public static boolean isDeviceCrossSigned(DeviceKeys device, UserCrossSigningKeys owner) {
        return holds(() -> verifyDevice(device, owner));
    }

    /**
     * Whether {@link #verifyUser} passes.
     *
     * @param other the other user's keys
     * @param mine our keys
     * @return true when we signed the other user's master key
     */
    public static boolean isUserSigned(UserCrossSigningKeys other, UserCrossSigningKeys mine) {
        return holds(() -> verifyUser(other, mine));
    }

    private static boolean holds(Runnable check) {
        try {
            check.run();
            return true;
        } catch (PanolmException e) {
            return false;
        }
    }
}
