package org.panolm.verification;

import java.util.Objects;

/**
 * The keys this device proves in a verification: its Ed25519 device key and, if the user has one, the
 * cross-signing master key (both unpadded base64). Public values only.
 */
public record OwnIdentity(String userId, String deviceId, String deviceEd25519Key, String masterKey) {
    public OwnIdentity {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(deviceEd25519Key, "deviceEd25519Key");
    }
}
