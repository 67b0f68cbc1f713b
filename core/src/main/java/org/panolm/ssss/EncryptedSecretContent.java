package org.panolm.ssss;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The account-data content stored under a secret's name: the secret encrypted under each key that
 * holds it, by key id ({@code {"encrypted": {"<keyId>": {...}}}}).
 *
 * @param encrypted the secret encrypted under each key, by key id
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EncryptedSecretContent(@JsonProperty("encrypted") Map<String, EncryptedSecret> encrypted) {

    /** Copies the map; a missing map is empty. */
    public EncryptedSecretContent {
        encrypted = encrypted == null ? Map.of() : Map.copyOf(encrypted);
    }

    /**
     * Content with the secret encrypted under one key.
     *
     * @param keyId the key's id
     * @param secret the secret encrypted under that key
     * @return the content
     */
    public static EncryptedSecretContent of(String keyId, EncryptedSecret secret) {
        return new EncryptedSecretContent(Map.of(keyId, secret));
    }

    /**
     * The secret as encrypted under one key.
     *
     * @param keyId the key's id
     * @return the encrypted secret, or empty when that key does not hold it
     */
    public Optional<EncryptedSecret> forKey(String keyId) {
        return Optional.ofNullable(encrypted.get(keyId));
    }

    /**
     * This content with the secret (re-)encrypted under one more key.
     *
     * @param keyId the key's id
     * @param secret the secret encrypted under that key
     * @return the new content; this one is unchanged
     */
    public EncryptedSecretContent with(String keyId, EncryptedSecret secret) {
        Map<String, EncryptedSecret> all = new LinkedHashMap<>(encrypted);
        all.put(keyId, secret);
        return new EncryptedSecretContent(all);
    }
}
