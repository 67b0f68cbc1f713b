package org.panolm.trust;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.panolm.crosssigning.DeviceKeys;
import org.panolm.crosssigning.UserCrossSigningKeys;

/**
 * What this device knows about one user: their cross-signing keys from {@code /keys/query} (null if they have
 * none), their devices, which devices we verified directly, and the master key we last saw verified (null if
 * we never verified them) — the pin that reveals a changed identity.
 */
public record UserState(String userId, UserCrossSigningKeys keys, Map<String, DeviceKeys> devices,
        Set<String> locallyVerifiedDevices, String verifiedMasterKeyPin) {
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
