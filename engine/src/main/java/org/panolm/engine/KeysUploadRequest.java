package org.panolm.engine;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The body of {@code POST /keys/upload}.
 *
 * @param deviceKeys our signed device keys, or null once uploaded
 * @param oneTimeKeys signed one-time keys by {@code signed_curve25519:<key id>}, or null
 * @param fallbackKeys the signed fallback key by {@code signed_curve25519:<key id>}, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeysUploadRequest(@JsonProperty("device_keys") ObjectNode deviceKeys,
                                @JsonProperty("one_time_keys") Map<String, ObjectNode> oneTimeKeys,
                                @JsonProperty("fallback_keys") Map<String, ObjectNode> fallbackKeys)
        implements RequestBody {
    /** Copies the maps. */
    public KeysUploadRequest {
        oneTimeKeys = oneTimeKeys == null ? null : Map.copyOf(oneTimeKeys);
        fallbackKeys = fallbackKeys == null ? null : Map.copyOf(fallbackKeys);
    }

    @JsonIgnore
    @Override
    public RequestType type() {
        return RequestType.KEYS_UPLOAD;
    }
}
