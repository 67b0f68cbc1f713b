package org.panolm.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The encrypted {@code session_data} of one backed-up session: unpadded base64 of the ephemeral X25519
 * public key (32 bytes), the AES-256-CBC ciphertext and the 8-byte legacy MAC. Values are checked when
 * decrypted, not here, so that one damaged entry does not stop a whole restore from parsing.
 *
 * @param ephemeral the ephemeral X25519 public key, base64
 * @param ciphertext the AES-256-CBC ciphertext, base64
 * @param mac the legacy MAC, base64
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SessionData(
        @JsonProperty("ephemeral") String ephemeral,
        @JsonProperty("ciphertext") String ciphertext,
        @JsonProperty("mac") String mac) {
}
