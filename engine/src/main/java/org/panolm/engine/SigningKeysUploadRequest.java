package org.panolm.engine;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The body of {@code POST /keys/device_signing/upload}: our three public cross-signing key objects (the
 * self-signing and user-signing keys signed by the master key) and the user-interactive auth dict the caller gave.
 * The auth dict is kept in memory only, never in the store.
 *
 * @param masterKey the master key object
 * @param selfSigningKey the self-signing key object
 * @param userSigningKey the user-signing key object
 * @param auth the {@code auth} dict for user-interactive authentication, or null (omitted from the JSON)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SigningKeysUploadRequest(@JsonProperty("master_key") ObjectNode masterKey,
                                       @JsonProperty("self_signing_key") ObjectNode selfSigningKey,
                                       @JsonProperty("user_signing_key") ObjectNode userSigningKey,
                                       @JsonProperty("auth") JsonNode auth) implements RequestBody {
    /** Checks the keys are given and copies the JSON. */
    public SigningKeysUploadRequest {
        masterKey = Objects.requireNonNull(masterKey, "masterKey").deepCopy();
        selfSigningKey = Objects.requireNonNull(selfSigningKey, "selfSigningKey").deepCopy();
        userSigningKey = Objects.requireNonNull(userSigningKey, "userSigningKey").deepCopy();
        auth = auth == null ? null : auth.deepCopy();
    }

    @JsonIgnore
    @Override
    public RequestType type() {
        return RequestType.SIGNING_KEYS_UPLOAD;
    }

    @Override
    public String toString() {
        // The auth dict may hold a password: never printed.
        return "SigningKeysUploadRequest[master=" + masterKey.path("keys") + ", auth=" + (auth == null ? "none" : "given") + "]";
    }
}
