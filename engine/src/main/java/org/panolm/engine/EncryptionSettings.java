package org.panolm.engine;

import java.util.Set;

/**
 * How a room's Megolm sessions are shared and rotated.
 *
 * @param rotationPeriodMs rotate after this long ({@code m.room.encryption}'s {@code rotation_period_ms}; spec default a week)
 * @param rotationPeriodMsgs rotate after this many messages ({@code rotation_period_msgs}; spec default 100)
 * @param onlyVerifiedDevices share only with verified devices; the others get {@code m.unverified}
 * @param blacklistedDevices devices ({@code user_id|device_id}) never to share with; they get {@code m.blacklisted}
 */
public record EncryptionSettings(long rotationPeriodMs, long rotationPeriodMsgs, boolean onlyVerifiedDevices,
                                 Set<String> blacklistedDevices) {
    /** Checks the periods and copies the set. */
    public EncryptionSettings {
        if (rotationPeriodMs <= 0 || rotationPeriodMsgs <= 0) {
            throw new IllegalArgumentException("rotation periods must be positive");
        }
        blacklistedDevices = blacklistedDevices == null ? Set.of() : Set.copyOf(blacklistedDevices);
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
