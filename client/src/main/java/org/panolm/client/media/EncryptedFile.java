package org.panolm.client.media;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.jspecify.annotations.Nullable;

/**
 * The spec's {@code EncryptedFile}: where the ciphertext is and how to decrypt and check it. It is sent
 * inside an encrypted event (the {@code file} of an {@code m.image}, {@code m.file}, ...), never in the clear.
 * Read from an event, any part may be missing (null); {@link AttachmentCipher#decrypt} checks them all.
 *
 * @param url the {@code mxc://} URI of the ciphertext (null until the ciphertext is uploaded)
 * @param key the AES-256-CTR key
 * @param iv the 16-byte initial counter block, unpadded base64 (its last 8 bytes zero)
 * @param hashes the ciphertext's hashes by algorithm: {@code sha256}, unpadded base64
 * @param v the version, {@code v2}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EncryptedFile(@JsonProperty("url") @Nullable String url,
                            @JsonProperty("key") @Nullable JsonWebKey key,
                            @JsonProperty("iv") @Nullable String iv,
                            @JsonProperty("hashes") @Nullable Map<String, String> hashes,
                            @JsonProperty("v") @Nullable String v) {
    /** The version this class writes and reads. */
    public static final String V2 = "v2";

    /** Copies the map. */
    public EncryptedFile {
        hashes = hashes == null ? null : Map.copyOf(hashes);
    }

    /**
     * The same file at another URL (after upload).
     *
     * @param mxc the {@code mxc://} URI
     * @return the copy
     */
    public EncryptedFile withUrl(String mxc) {
        return new EncryptedFile(mxc, key, iv, hashes, v);
    }
}
