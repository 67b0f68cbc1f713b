package org.panolm.engine;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /keys/device_signing/upload}: our three public cross-signing key objects (the
 * self-signing and user-signing keys signed by the master key) and the user-interactive auth dict the caller gave,
 * each JSON text checked to be one JSON object, embedded as JSON objects in the body
 * ({@link OutgoingRequest#bodyJson()}). The auth dict is kept in memory only, never in the store, and never printed.
 *
 * @param masterKey the master key object
 * @param selfSigningKey the self-signing key object
 * @param userSigningKey the user-signing key object
 * @param auth the {@code auth} dict for user-interactive authentication, or null (omitted from the JSON)
 */
public record SigningKeysUploadRequest(String masterKey, String selfSigningKey, String userSigningKey,
                                       @Nullable String auth)
        implements RequestBody {
    /**
     * Checks the keys are given and each part is one JSON object.
     *
     * @throws IllegalArgumentException when a part is missing or not a JSON object (which one)
     */
    public SigningKeysUploadRequest {
        EngineJson.requireObject(masterKey, "masterKey");
        EngineJson.requireObject(selfSigningKey, "selfSigningKey");
        EngineJson.requireObject(userSigningKey, "userSigningKey");
        if (auth != null) EngineJson.requireObject(auth, "auth");
    }

    @Override
    public RequestType type() {
        return RequestType.SIGNING_KEYS_UPLOAD;
    }

    @Override
    public String toString() {
        // The auth dict may hold a password: never printed.
        return "SigningKeysUploadRequest[masterKey=" + masterKey + ", auth=" + (auth == null ? "none" : "given") + "]";
    }
}
