package org.panolm.ssss;

import org.jspecify.annotations.Nullable;
import org.panolm.recovery.Passphrase;
import org.panolm.recovery.PassphraseInfo;
import org.panolm.subtle.SecureRandomBytes;

/**
 * A freshly created secret-storage key: its id, the key itself and the description to upload as
 * account data {@link #eventType()}. Closing it wipes the key.
 *
 * @param keyId the key id, random
 * @param key the key
 * @param description the description to upload
 */
public record NewSecretStorageKey(String keyId, SecretStorageKey key, SecretStorageKeyDescription description)
        implements AutoCloseable {

    private static final char[] ALPHANUMERIC =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    /**
     * A random key (to be shown to the user as a Security Key).
     *
     * @param name the key's display name, or null
     * @return the new key
     */
    public static NewSecretStorageKey generate(@Nullable String name) {
        SecretStorageKey key = SecretStorageKey.generate();
        return new NewSecretStorageKey(randomKeyId(), key, SecretStorageKeyDescription.describe(key, name, null));
    }

    /**
     * A key derived from a Security Phrase, with a random salt and {@code iterations} (500,000 by default).
     *
     * @param name the key's display name, or null
     * @param passphrase the Security Phrase
     * @param iterations the PBKDF2 iteration count
     * @return the new key
     */
    public static NewSecretStorageKey fromPassphrase(@Nullable String name, Passphrase passphrase, int iterations) {
        PassphraseInfo info = PassphraseInfo.generate(iterations);
        SecretStorageKey key = SecretStorageKey.fromPassphrase(passphrase, info);
        return new NewSecretStorageKey(randomKeyId(), key, SecretStorageKeyDescription.describe(key, name, info));
    }

    /**
     * A key derived from a Security Phrase, with a random salt and the default 500,000 iterations.
     *
     * @param name the key's display name, or null
     * @param passphrase the Security Phrase
     * @return the new key
     */
    public static NewSecretStorageKey fromPassphrase(@Nullable String name, Passphrase passphrase) {
        return fromPassphrase(name, passphrase, PassphraseInfo.DEFAULT_ITERATIONS);
    }

    /**
     * {@code m.secret_storage.key.<keyId>}
     *
     * @return the account-data event type of the description
     */
    public String eventType() {
        return SecretStorageKeyDescription.EVENT_TYPE_PREFIX + keyId;
    }

    /**
     * The content of {@code m.secret_storage.default_key} that makes this key the default.
     *
     * @return the content
     */
    public DefaultKeyContent asDefault() {
        return new DefaultKeyContent(keyId);
    }

    @Override
    public void close() {
        key.close();
    }

    @Override
    public String toString() {
        return "NewSecretStorageKey[keyId=" + keyId + "]";
    }

    /** 32 characters from [A-Za-z0-9], as matrix-js-sdk and matrix-rust-sdk make them. */
    static String randomKeyId() {
        char[] out = new char[32];
        int filled = 0;
        byte[] pool = new byte[64];
        while (filled < out.length) {
            SecureRandomBytes.fill(pool);
            for (int i = 0; i < pool.length && filled < out.length; i++) {
                int v = pool[i] & 0xff;
                if (v < 248) { // 248 = 4 × 62: no bias
                    out[filled++] = ALPHANUMERIC[v % 62];
                }
            }
        }
        return new String(out);
    }
}
