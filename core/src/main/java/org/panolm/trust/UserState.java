package org.panolm.trust;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.panolm.crosssigning.DeviceKeys;
import org.panolm.crosssigning.UserCrossSigningKeys;

/**
 * What this device knows about one user: their cross-signing keys from {@code /keys/query} (null if they have
 * none), their devices, which devices we verified directly, and the master key we last saw verified (null if
 * we never verified them) — the pin that reveals a changed identity.
 *
 * @param userId the user
 * @param keys their cross-signing keys, or null
 * @param devices their devices by device id
 * @param locallyVerifiedDevices the ids of their devices we verified directly
 * @param verifiedMasterKeyPin the master key (base64) we last saw verified, or null
 */
public record UserState(String userId, @Nullable UserCrossSigningKeys keys, Map<String, DeviceKeys> devices,
        Set<String> locallyVerifiedDevices, @Nullable String verifiedMasterKeyPin) {
    /** Copies the collections and checks that the keys and devices belong to {@code userId}. */
    public UserState {
        Objects.requireNonNull(userId, "userId");
        devices = Map.copyOf(devices);
        locallyVerifiedDevices = Set.copyOf(locallyVerifiedDevices);
        if (keys != null && !keys.userId().equals(userId)) {
            throw new IllegalArgumentException("cross-signing keys of " + keys.userId() + " given for " + userId);
        }
        for (var e : devices.entrySet()) {
            if (!e.getValue().userId().equals(userId) || !e.getValue().deviceId().equals(e.getKey())) {
                throw new IllegalArgumentException("device " + e.getKey() + " of " + userId + " is listed wrongly");
            }
        }
    }
}
