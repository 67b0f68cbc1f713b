package org.panolm.ssss;

import static java.lang.foreign.MemorySegment.ofArray;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.jspecify.annotations.Nullable;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_secrets_h;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.NativeStatus;
import org.panolm.recovery.Passphrase;
import org.panolm.recovery.PassphraseInfo;

/**
 * The content of {@code m.secret_storage.key.<keyId>} (docs/formats.md §5.1): the algorithm, an optional name,
 * how to derive the key from a phrase, and the key check ({@code iv}, {@code mac}: the MAC of 32 zero
 * bytes encrypted under the secret name "").
 *
 * @param algorithm {@code m.secret_storage.v1.aes-hmac-sha2}, the only algorithm
 * @param name the key's display name, or null
 * @param passphrase how to derive the key from a Security Phrase, or null
 * @param iv the IV of the key check, or null
 * @param mac the MAC of the key check, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretStorageKeyDescription(
        @JsonProperty("algorithm") String algorithm,
        @JsonProperty("name") @Nullable String name,
        @JsonProperty("passphrase") @Nullable PassphraseInfo passphrase,
        @JsonProperty("iv") @Nullable String iv,
        @JsonProperty("mac") @Nullable String mac) {

    public static final String EVENT_TYPE_PREFIX = "m.secret_storage.key.";

    /**
     * The description of {@code key}, with a fresh key check.
     *
     * @param key the key
     * @param name its display name, or null
     * @param passphrase how it was derived from a Security Phrase, or null
     * @return the description
     */
    public static SecretStorageKeyDescription describe(SecretStorageKey key, @Nullable String name, @Nullable PassphraseInfo passphrase) {
        byte[] iv = SecretStorage.randomIv();
        byte[] mac = new byte[SecretStorage.MAC_LENGTH];
        key.withBytes(k -> {
            NativeStatus.check(panolm_secrets_h.panolm_ssss_key_check(ofArray(k), ofArray(iv), ofArray(mac)),
                    "secret storage key check");
            return null;
        });
        return new SecretStorageKeyDescription(SecretStorage.ALGORITHM, name, passphrase, MatrixBase64.encode(iv),
                MatrixBase64.encode(mac));
    }

    /**
     * Whether {@code key} is the key this describes. Without {@code iv} or {@code mac} the spec says to
     * assume it is.
     * @param key the key to check
     * @return whether it is the described key
     * @throws PanolmException for another algorithm (INVALID_ARGUMENT), undecodable (BAD_BASE64) or
     *     wrongly sized (BAD_KEY) {@code iv}/{@code mac}
     */
    public boolean matches(SecretStorageKey key) {
        requireSupportedAlgorithm();
        if (iv == null || mac == null) {
            return true;
        }
        byte[] ivBytes = MatrixBase64.decode(iv, SecretStorage.IV_LENGTH, "secret storage key description: iv");
        byte[] macBytes = MatrixBase64.decode(mac, SecretStorage.MAC_LENGTH, "secret storage key description: mac");
        int rc = key.withBytes(k -> panolm_secrets_h.panolm_ssss_key_verify(ofArray(k), ofArray(ivBytes),
                ofArray(macBytes)));
        if (rc == Status.BAD_MAC.code()) {
            return false;
        }
        NativeStatus.check(rc, "secret storage key check");
        return true;
    }

    /**
     * Like {@link #matches} but throws BAD_MAC, naming the key id, when the key is wrong.
     *
     * @param key the key to check
     * @param keyId the key's id, for the message
     */
    public void requireMatches(SecretStorageKey key, String keyId) {
        if (!matches(key)) {
            throw new PanolmException(Status.BAD_MAC,
                    "the key does not match secret storage key " + keyId + " (wrong Security Key or Phrase)");
        }
    }

    /**
     * The key from a Security Phrase, checked against this description.
     * @param phrase the Security Phrase
     * @param keyId the key's id, for the message
     * @return the key; the caller closes it
     * @throws PanolmException INVALID_ARGUMENT when this key has no {@code passphrase}; BAD_MAC when the
     *     phrase gives another key
     */
    public SecretStorageKey unlock(Passphrase phrase, String keyId) {
        requireSupportedAlgorithm();
        if (passphrase == null) {
            throw new PanolmException(Status.INVALID_ARGUMENT,
                    "secret storage key " + keyId + " was not made from a Security Phrase: use its Security Key");
        }
        return checked(SecretStorageKey.fromPassphrase(phrase, passphrase), keyId);
    }

    /**
     * The key from a Security Key (base58, spaces allowed), checked against this description.
     *
     * @param securityKey the Security Key text
     * @param keyId the key's id, for the message
     * @return the key; the caller closes it
     */
    public SecretStorageKey unlock(String securityKey, String keyId) {
        requireSupportedAlgorithm();
        return checked(SecretStorageKey.fromRecoveryKey(securityKey), keyId);
    }

    private SecretStorageKey checked(SecretStorageKey key, String keyId) {
        try {
            requireMatches(key, keyId);
            return key;
        } catch (RuntimeException e) {
            key.close();
            throw e;
        }
    }

    /**
     * Fails unless the algorithm is {@code m.secret_storage.v1.aes-hmac-sha2}.
     *
     * @throws PanolmException INVALID_ARGUMENT for any other algorithm
     */
    public void requireSupportedAlgorithm() {
        if (!SecretStorage.ALGORITHM.equals(algorithm)) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "secret storage key algorithm is "
                    + (algorithm == null ? "missing" : "'" + algorithm + "'") + ", only " + SecretStorage.ALGORITHM
                    + " is supported");
        }
    }
}
