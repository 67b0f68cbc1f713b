package org.panolm.engine;

import java.util.Set;

/**
 * How a room's Megolm sessions are shared and rotated.
 *
 * @param rotationPeriodMs rotate after this long ({@code m.room.encryption}'s {@code rotation_period_ms}; spec default a week)
 * @param rotationPeriodMsgs rotate after this many messages ({@code rotation_period_msgs}; spec default 100)
 * @param onlyVerifiedDevices share only with verified devices; the others get {@code m.unverified}
 * @param blacklistedDevices devices ({@code user_id|device_id}) never to share with; they get {@code m.blacklisted}
 * @param doNotStore the room is under panolm's do-not-store flag ({@link DoNotStore}, from its
 *                   {@code m.room.encryption}): its sessions are flagged and their room keys carry the flag
 */
public record EncryptionSettings(long rotationPeriodMs, long rotationPeriodMsgs, boolean onlyVerifiedDevices,
                                 Set<String> blacklistedDevices, boolean doNotStore) {
    /** Checks the periods and copies the set. */
    public EncryptionSettings {
        if (rotationPeriodMs <= 0 || rotationPeriodMsgs <= 0) {
            throw new IllegalArgumentException("rotation periods must be positive");
        }
        blacklistedDevices = blacklistedDevices == null ? Set.of() : Set.copyOf(blacklistedDevices);
    }

    /**
     * Settings for a room without the do-not-store flag.
     *
     * @param rotationPeriodMs rotate after this long
     * @param rotationPeriodMsgs rotate after this many messages
     * @param onlyVerifiedDevices share only with verified devices
     * @param blacklistedDevices devices never to share with
     */
    public EncryptionSettings(long rotationPeriodMs, long rotationPeriodMsgs, boolean onlyVerifiedDevices,
                              Set<String> blacklistedDevices) {
        this(rotationPeriodMs, rotationPeriodMsgs, onlyVerifiedDevices, blacklistedDevices, false);
    }

    /**
     * These settings with the do-not-store flag set or not.
     *
     * @param flag whether the room is under the flag
     * @return the settings
     */
    public EncryptionSettings withDoNotStore(boolean flag) {
        return new EncryptionSettings(rotationPeriodMs, rotationPeriodMsgs, onlyVerifiedDevices, blacklistedDevices, flag);
    }

    /**
     * The spec's defaults: a week, 100 messages, every device.
     *
     * @return the settings
     */
    public static EncryptionSettings defaults() {
        return new EncryptionSettings(604_800_000L, 100, false, Set.of());
    }
}
