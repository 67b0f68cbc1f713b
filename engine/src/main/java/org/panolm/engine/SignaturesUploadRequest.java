package org.panolm.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of {@code POST /keys/signatures/upload}: by user, by key id (a device id, or a cross-signing public
 * key), the key object with our new signature added.
 *
 * @param signedKeys the signed key objects, by user and key id
 */
public record SignaturesUploadRequest(Map<String, Map<String, JsonNode>> signedKeys) implements RequestBody {
    /** Copies the maps (keeping their order). */
    public SignaturesUploadRequest {
        Map<String, Map<String, JsonNode>> copy = new LinkedHashMap<>();
        signedKeys.forEach((user, keys) -> copy.put(user, Collections.unmodifiableMap(new LinkedHashMap<>(keys))));
        signedKeys = Collections.unmodifiableMap(copy);
    }

    /**
     * The body is the map itself.
     *
     * @return the signed key objects, by user and key id
     */
    @JsonValue
    @Override
    public Map<String, Map<String, JsonNode>> signedKeys() {
        return signedKeys;
    }

    /** One signed key object of one user. */
    static SignaturesUploadRequest of(String userId, String keyId, JsonNode signed) {
        return new SignaturesUploadRequest(Map.of(userId, Map.of(keyId, signed)));
    }

    @JsonIgnore
    @Override
    public RequestType type() {
        return RequestType.SIGNATURES_UPLOAD;
    }
}
