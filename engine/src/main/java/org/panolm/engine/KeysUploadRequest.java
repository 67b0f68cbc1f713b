package org.panolm.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /keys/upload}. The key objects are JSON text, each checked to be one JSON object; the
 * body embeds them as JSON objects ({@link OutgoingRequest#bodyJson()}).
 *
 * @param deviceKeys our signed device keys (a JSON object), or null once uploaded
 * @param oneTimeKeys signed one-time keys (JSON objects) by {@code signed_curve25519:<key id>}, or null
 * @param fallbackKeys the signed fallback key (a JSON object) by {@code signed_curve25519:<key id>}, or null
 */
public record KeysUploadRequest(@Nullable String deviceKeys, @Nullable Map<String, String> oneTimeKeys,
                                @Nullable Map<String, String> fallbackKeys)
        implements RequestBody {
    /**
     * Checks each key object is one JSON object and copies the maps.
     *
     * @throws IllegalArgumentException when a key object is not a JSON object (which one)
     */
    public KeysUploadRequest {
        if (deviceKeys != null) EngineJson.requireObject(deviceKeys, "deviceKeys");
        oneTimeKeys = checked(oneTimeKeys, "oneTimeKeys");
        fallbackKeys = checked(fallbackKeys, "fallbackKeys");
    }

    private static @Nullable Map<String, String> checked(@Nullable Map<String, String> keys, String what) {
        if (keys == null) return null;
        Map<String, String> copy = new LinkedHashMap<>();
        keys.forEach((id, json) -> copy.put(id, EngineJson.requireObject(json, what + "[" + id + "]")));
        return Collections.unmodifiableMap(copy);
    }

    @Override
    public RequestType type() {
        return RequestType.KEYS_UPLOAD;
    }
}
