package org.panolm.engine;

import java.util.Map;

/**
 * The body of {@code POST /keys/claim}.
 *
 * @param oneTimeKeys by user, by device, the algorithm to claim ({@code signed_curve25519})
 */
public record KeysClaimRequest(Map<String, Map<String, String>> oneTimeKeys)
        implements RequestBody {
    /** Copies the map. */
    public KeysClaimRequest {
        oneTimeKeys = Map.copyOf(oneTimeKeys);
    }

    @Override
    public RequestType type() {
        return RequestType.KEYS_CLAIM;
    }
}
