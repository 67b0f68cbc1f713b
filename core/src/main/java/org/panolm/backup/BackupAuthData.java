package org.panolm.backup;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.jspecify.annotations.Nullable;

/**
 * The {@code auth_data} of a {@code m.megolm_backup.v1.curve25519-aes-sha2} backup version: the backup's
 * public key and signatures over the object. Fields this type does not know (for example the legacy
 * {@code private_key_salt}) are kept in {@link #other()}, because signatures cover them too.
 *
 * @param publicKey  unpadded base64 of the X25519 public key
 * @param signatures user id → key id ({@code ed25519:DEVICE} or {@code ed25519:<master key>}) → signature
 * @param other      every other field, as parsed: strings, numbers, booleans, null, lists and maps
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record BackupAuthData(
        @JsonProperty("public_key") String publicKey,
        @JsonProperty("signatures") Map<String, Map<String, String>> signatures,
        @JsonAnySetter @JsonAnyGetter Map<String, @Nullable Object> other) {

    /** Copies the maps, keeping their order; missing maps are empty. */
    public BackupAuthData {
        signatures = signatures == null ? Map.of() : copy(signatures);
        other = other == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(other));
    }

    /**
     * Auth data with a public key and nothing else (before it is signed).
     *
     * @param publicKey unpadded base64 of the X25519 public key
     */
    public BackupAuthData(String publicKey) {
        this(publicKey, Map.of(), Map.of());
    }

    /**
     * The public key, decoded.
     *
     * @return the backup's public key
     */
    public BackupPublicKey backupPublicKey() {
        return BackupPublicKey.fromBase64(publicKey);
    }

    private static Map<String, Map<String, String>> copy(Map<String, Map<String, String>> signatures) {
        var out = new LinkedHashMap<String, Map<String, String>>();
        signatures.forEach((user, sigs) -> out.put(user,
                sigs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(sigs))));
        return Collections.unmodifiableMap(out);
    }
}
