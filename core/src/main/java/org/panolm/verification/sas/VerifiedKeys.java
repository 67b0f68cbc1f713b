package org.panolm.verification.sas;

import java.util.Map;

/**
 * The other side's keys a verification proved, by key id ({@code ed25519:<device id>} or
 * {@code ed25519:<master key>}), with their unpadded base64 values.
 *
 * @param userId the other user
 * @param keys the proven keys by key id
 */
public record VerifiedKeys(String userId, Map<String, String> keys) {
    /** Copies the map. */
    public VerifiedKeys {
        keys = Map.copyOf(keys);
    }
}
