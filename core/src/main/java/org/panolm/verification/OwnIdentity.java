package org.panolm.verification;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The keys this device proves in a verification: its Ed25519 device key and, if the user has one, the
 * cross-signing master key (both unpadded base64). Public values only.
 *
 * @param userId our user id
 * @param deviceId our device id
 * @param deviceEd25519Key our device's Ed25519 key
 * @param masterKey our master key, or null when the user has no cross-signing identity
 */
public record OwnIdentity(String userId, String deviceId, String deviceEd25519Key, @Nullable String masterKey) {
    /** The user id, device id and device key are required. */
    public OwnIdentity {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(deviceEd25519Key, "deviceEd25519Key");
    }
}
