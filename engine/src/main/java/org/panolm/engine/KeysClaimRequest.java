package org.panolm.engine;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code POST /keys/claim}.
 *
 * @param oneTimeKeys by user, by device, the algorithm to claim ({@code signed_curve25519})
 */
public record KeysClaimRequest(@JsonProperty("one_time_keys") Map<String, Map<String, String>> oneTimeKeys)
        implements RequestBody {
    /** Copies the map. */
    public KeysClaimRequest {
        oneTimeKeys = Map.copyOf(oneTimeKeys);
    }

    @JsonIgnore
    @Override
    public RequestType type() {
        return RequestType.KEYS_CLAIM;
    }
}
