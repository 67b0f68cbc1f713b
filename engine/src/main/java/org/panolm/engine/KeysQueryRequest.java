package org.panolm.engine;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code POST /keys/query}.
 *
 * @param deviceKeys the users to query, each with an empty list (all their devices)
 */
public record KeysQueryRequest(@JsonProperty("device_keys") Map<String, List<String>> deviceKeys) implements RequestBody {
    /** Copies the map. */
    public KeysQueryRequest {
        deviceKeys = Map.copyOf(deviceKeys);
    }

    @JsonIgnore
    @Override
    public RequestType type() {
        return RequestType.KEYS_QUERY;
    }
}
