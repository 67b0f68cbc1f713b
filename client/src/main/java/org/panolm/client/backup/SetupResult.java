package org.panolm.client.backup;

import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.panolm.backup.BackupVersion;

/**
 * What setting up Secure Backup made.
 *
 * @param securityKey the new Security Key to show the user once, or null when a Security Phrase was used
 *                    (a secret: never log it; {@link #toString()} leaves it out)
 * @param version the backup version created, as the server now returns it
 * @param secrets the unlocked secrets (secret-storage key, backup key, cross-signing keys); the caller closes them
 */
public record SetupResult(@Nullable String securityKey, BackupVersion version, UnlockedSecrets secrets) {
    /**
     * The Security Key, when one was generated.
     *
     * @return the key text
     */
    public Optional<String> generatedSecurityKey() {
        return Optional.ofNullable(securityKey);
    }

    @Override
    public String toString() {
        return "SetupResult[version=" + version.version() + ", securityKey=" + (securityKey != null ? "shown once" : "none")
                + "]";
    }
}
