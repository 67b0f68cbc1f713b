package org.panolm.engine.store;

import java.util.Objects;

/**
 * A device of some user as the last {@code /keys/query} showed it.
 *
 * @param userId the user
 * @param deviceId the device
 * @param deviceKeys the signed device-keys object, as the server returned it (JSON)
 * @param deleted true once the server stopped listing the device (kept so its sessions can still be told apart)
 */
public record DeviceRecord(String userId, String deviceId, String deviceKeys, boolean deleted) {
    /** Checks the fields are given. */
    public DeviceRecord {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(deviceKeys, "deviceKeys");
    }
}
