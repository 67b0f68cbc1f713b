package org.panolm.ssss;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The account-data content stored under a secret's name: the secret encrypted under each key that
 * holds it, by key id ({@code {"encrypted": {"<keyId>": {...}}}}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EncryptedSecretContent(@JsonProperty("encrypted") Map<String, EncryptedSecret> encrypted) {

    public EncryptedSecretContent {
        encrypted = encrypted == null ? Map.of() : Map.copyOf(encrypted);
    }

    public static EncryptedSecretContent of(String keyId, EncryptedSecret secret) {
        return new EncryptedSecretContent(Map.of(keyId, secret));
    }

    public Optional<EncryptedSecret> forKey(String keyId) {
        return Optional.ofNullable(encrypted.get(keyId));
    }

    /** This content with the secret (re-)encrypted under one more key. */
    public EncryptedSecretContent with(String keyId, EncryptedSecret secret) {
        Map<String, EncryptedSecret> all = new LinkedHashMap<>(encrypted);
        all.put(keyId, secret);
        return new EncryptedSecretContent(all);
    }
}
