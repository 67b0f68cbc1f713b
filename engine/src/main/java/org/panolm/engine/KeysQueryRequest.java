package org.panolm.engine;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /keys/query}.
 *
 * @param deviceKeys the users to query, each with an empty list (all their devices)
 */
public record KeysQueryRequest(Map<String, List<String>> deviceKeys) implements RequestBody {
    /** Copies the map. */
    public KeysQueryRequest {
        deviceKeys = Map.copyOf(deviceKeys);
    }

    @Override
    public RequestType type() {
        return RequestType.KEYS_QUERY;
    }
}
