package org.panolm.verification;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.panolm.PanolmException;
import org.panolm.Status;

/**
 * What we believe about the other side's keys before verifying: its devices' Ed25519 keys by device id and
 * its master key (may be null), all unpadded base64. A verification turns some of these beliefs into
 * verified facts; keys the other side MACs that are not listed here are ignored.
 *
 * @param userId the other user
 * @param deviceEd25519Keys the Ed25519 keys of their devices, by device id
 * @param masterKey their master key, or null
 */
public record PeerKeys(String userId, Map<String, String> deviceEd25519Keys, @Nullable String masterKey) {
    /** Copies the map; a device whose id equals the master key is refused. */
    public PeerKeys {
        Objects.requireNonNull(userId, "userId");
        deviceEd25519Keys = Map.copyOf(deviceEd25519Keys);
        // Device ids and cross-signing keys share the "ed25519:<id>" namespace (docs/formats.md §8.2).
        if (masterKey != null && deviceEd25519Keys.containsKey(masterKey)) {
            throw new PanolmException(Status.BAD_KEY, userId + " has a device whose id equals its master key");
        }
    }

    /**
     * The Ed25519 key we believe a device has.
     *
     * @param deviceId the device
     * @return the key, or empty when the device is not known
     */
    public Optional<String> deviceKey(String deviceId) {
        return Optional.ofNullable(deviceEd25519Keys.get(deviceId));
    }
}
