package org.panolm.client.backup;

import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.panolm.backup.BackupDecryptionKey;
import org.panolm.crosssigning.OwnCrossSigning;
import org.panolm.ssss.SecretStorageKey;

/**
 * What opening secret storage gives: the secret-storage key and its id, the backup decryption key and the
 * cross-signing private keys (each when stored). Holding them proves the user's identity. Closing wipes them
 * all; {@link #toString()} shows none.
 */
public final class UnlockedSecrets implements AutoCloseable {
    private final String keyId;
    private final SecretStorageKey key;
    private @Nullable BackupDecryptionKey backupKey;
    private final @Nullable OwnCrossSigning crossSigning;

    UnlockedSecrets(String keyId, SecretStorageKey key, @Nullable BackupDecryptionKey backupKey,
                    @Nullable OwnCrossSigning crossSigning) {
        this.keyId = keyId;
        this.key = key;
        this.backupKey = backupKey;
        this.crossSigning = crossSigning;
    }

    /**
     * The id of the secret-storage key.
     *
     * @return the key id
     */
    public String keyId() {
        return keyId;
    }

    /**
     * The secret-storage key.
     *
     * @return the key (owned by this object)
     */
    public SecretStorageKey secretStorageKey() {
        return key;
    }

    /**
     * The backup decryption key, if secret storage holds one.
     *
     * @return the key (owned by this object)
     */
    public synchronized Optional<BackupDecryptionKey> backupKey() {
        return Optional.ofNullable(backupKey);
    }

    /** Replaces the backup key after a reset; the old one is wiped. */
    synchronized void replaceBackupKey(BackupDecryptionKey fresh) {
        if (backupKey != null) backupKey.close();
        backupKey = fresh;
    }

    /**
     * The cross-signing private keys, if secret storage holds all three.
     *
     * @return the keys (owned by this object)
     */
    public Optional<OwnCrossSigning> crossSigning() {
        return Optional.ofNullable(crossSigning);
    }

    @Override
    public synchronized void close() {
        key.close();
        if (backupKey != null) backupKey.close();
        if (crossSigning != null) crossSigning.close();
    }

    @Override
    public String toString() {
        return "UnlockedSecrets[keyId=" + keyId + ", backupKey=" + (backupKey != null) + ", crossSigning="
                + (crossSigning != null) + "]";
    }
}
