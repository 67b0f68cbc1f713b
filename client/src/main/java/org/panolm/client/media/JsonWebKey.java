package org.panolm.client.media;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.jspecify.annotations.Nullable;

/**
 * The AES key of an encrypted attachment as the spec's {@code JWK}: {@code kty} {@code oct}, {@code alg}
 * {@code A256CTR}, {@code key_ops} with {@code encrypt} and {@code decrypt}, {@code ext} true, and {@code k},
 * the 32-byte key in unpadded base64url. Read from an event, any part may be missing (null); decryption checks
 * them all. {@link #toString()} leaves {@code k} out.
 *
 * @param kty the key type, {@code oct}
 * @param keyOps the operations, containing {@code encrypt} and {@code decrypt}
 * @param alg the algorithm, {@code A256CTR}
 * @param k the key, unpadded base64url (a secret)
 * @param ext whether the key is extractable; always true
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JsonWebKey(@JsonProperty("kty") @Nullable String kty,
                         @JsonProperty("key_ops") @Nullable List<String> keyOps,
                         @JsonProperty("alg") @Nullable String alg,
                         @JsonProperty("k") @Nullable String k,
                         @JsonProperty("ext") boolean ext) {
    /** Copies the list. */
    public JsonWebKey {
        keyOps = keyOps == null ? null : List.copyOf(keyOps);
    }

    static JsonWebKey of(byte[] key) {
        return new JsonWebKey("oct", List.of("encrypt", "decrypt"), "A256CTR",
                java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(key), true);
    }

    /** The 32 key bytes, after checking every field the spec requires; the caller wipes them. */
    byte[] keyBytes() {
        if (!"oct".equals(kty)) throw AttachmentException.field("key.kty", "is not oct");
        if (!"A256CTR".equals(alg)) throw AttachmentException.field("key.alg", "is not A256CTR");
        if (keyOps == null || !keyOps.contains("encrypt") || !keyOps.contains("decrypt")) {
            throw AttachmentException.field("key.key_ops", "lacks encrypt or decrypt");
        }
        if (!ext) throw AttachmentException.field("key.ext", "is not true");
        if (k == null) throw AttachmentException.field("key.k", "is missing");
        byte[] bytes;
        try {
            // Base64url, padded or not; some clients wrote standard base64, which is accepted too.
            bytes = java.util.Base64.getUrlDecoder().decode(k.replace('+', '-').replace('/', '_').replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw AttachmentException.field("key.k", "is not base64url");
        }
        if (bytes.length != 32) {
            java.util.Arrays.fill(bytes, (byte) 0);
            throw AttachmentException.field("key.k", "is not a 32-byte key");
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "JsonWebKey[kty=" + kty + ", alg=" + alg + ", keyOps=" + keyOps + ", k=redacted]";
    }
}
