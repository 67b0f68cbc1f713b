package org.panolm.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of {@code POST /keys/signatures/upload}: by user, by key id (a device id, or a cross-signing public
 * key), the key object with our new signature added. The body is the map itself, each key object (JSON text,
 * checked to be one JSON object) embedded as a JSON object ({@link OutgoingRequest#bodyJson()}).
 *
 * @param signedKeys the signed key objects, by user and key id
 */
public record SignaturesUploadRequest(Map<String, Map<String, String>> signedKeys) implements RequestBody {
    /**
     * Checks each key object is one JSON object and copies the maps (keeping their order).
     *
     * @throws IllegalArgumentException when a key object is not a JSON object (which one)
     */
    public SignaturesUploadRequest {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        signedKeys.forEach((user, keys) -> {
            Map<String, String> byKey = new LinkedHashMap<>();
            keys.forEach((key, json) -> byKey.put(key, EngineJson.requireObject(json,
                    "signedKeys[" + user + "][" + key + "]")));
            copy.put(user, Collections.unmodifiableMap(byKey));
        });
        signedKeys = Collections.unmodifiableMap(copy);
    }

    /** One signed key object of one user. */
    static SignaturesUploadRequest of(String userId, String keyId, String signed) {
        return new SignaturesUploadRequest(Map.of(userId, Map.of(keyId, signed)));
    }

    @Override
    public RequestType type() {
        return RequestType.SIGNATURES_UPLOAD;
    }
}
