package org.panolm.ssss;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One secret encrypted under one key ({@code m.secret_storage.v1.aes-hmac-sha2}): base64 fields as they
 * appear in account data. Input may be padded (matrix-js-sdk) or unpadded (matrix-rust-sdk); panolm writes
 * unpadded.
 *
 * @param iv the IV, base64
 * @param ciphertext the ciphertext, base64
 * @param mac the HMAC-SHA-256 of the ciphertext, base64
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EncryptedSecret(
        @JsonProperty("iv") String iv,
        @JsonProperty("ciphertext") String ciphertext,
        @JsonProperty("mac") String mac) {
}
