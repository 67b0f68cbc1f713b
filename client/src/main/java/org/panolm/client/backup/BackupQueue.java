package org.panolm.client.backup;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.panolm.client.MatrixApiException;
import org.panolm.client.sync.RoomKeyListener;
import org.panolm.keystore.KeyStore;
import org.panolm.keystore.RoomKeyRecord;

/**
 * Backs room keys up as they arrive: the sync loop hands it each sync's new keys ({@link RoomKeyListener}), they
 * join the uploader's key store (unless it reads the engine's store, where they already are), and the keys still pending go to the current trusted backup version at once. An
 * upload that fails on the network leaves them pending for the next round (the {@link UploadJournal} remembers
 * what the server already has across restarts).
 */
public final class BackupQueue implements RoomKeyListener {
    private static final System.Logger LOG = System.getLogger("org.panolm.client.backup");

    private final @Nullable KeyStore keys;
    private final BackupUploader uploader;
    private final SecureBackup backup;
    private final @Nullable UnlockedSecrets secrets;
    private volatile @Nullable UploadOutcome last;
    private volatile @Nullable MatrixApiException lastFailure;

    /**
     * A queue uploading through an uploader that reads the engine's store ({@link UploadSource#of(
     * org.panolm.engine.store.CryptoStore)}): the engine has stored the keys before the sync loop reports them, so
     * the queue only uploads what is pending.
     *
     * @param uploader the uploader
     * @param backup this device's Secure Backup, for the version's trust
     * @param secrets our unlocked secrets, or null (then only a version this device or our keys signed is trusted)
     */
    public BackupQueue(BackupUploader uploader, SecureBackup backup, @Nullable UnlockedSecrets secrets) {
        this.keys = null;
        this.uploader = Objects.requireNonNull(uploader, "uploader");
        this.backup = Objects.requireNonNull(backup, "backup");
        this.secrets = secrets;
    }

    /**
     * A queue uploading through {@code uploader}, whose key store is {@code keys}.
     *
     * @param keys the uploader's key store (new keys are imported into it)
     * @param uploader the uploader
     * @param backup this device's Secure Backup, for the version's trust
     * @param secrets our unlocked secrets, or null (then only a version this device or our keys signed is trusted)
     */
    public BackupQueue(KeyStore keys, BackupUploader uploader, SecureBackup backup,
                       @Nullable UnlockedSecrets secrets) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.uploader = Objects.requireNonNull(uploader, "uploader");
        this.backup = Objects.requireNonNull(backup, "backup");
        this.secrets = secrets;
    }

    @Override
    public void received(List<RoomKeyRecord> arrived) {
        if (keys != null) keys.importKeys(arrived);
        flush();
    }

    /**
     * Uploads what is pending now.
     *
     * @return how the round ended, or empty when the server could not be reached (the keys stay pending)
     */
    public java.util.Optional<UploadOutcome> flush() {
        try {
            UploadOutcome outcome = uploader.keepCurrent(backup, secrets);
            last = outcome;
            lastFailure = null;
            return java.util.Optional.of(outcome);
        } catch (MatrixApiException e) {
            lastFailure = e;
            LOG.log(Level.INFO, () -> "backup upload failed (" + (e.status() != 0 ? e.status() : e.kind())
                    + "); the keys stay pending");
            return java.util.Optional.empty();
        }
    }

    /**
     * How the last upload round ended.
     *
     * @return the outcome, or empty before the first or after a failed round
     */
    public java.util.Optional<UploadOutcome> lastOutcome() {
        return java.util.Optional.ofNullable(lastFailure == null ? last : null);
    }

    /**
     * Why the last upload round failed.
     *
     * @return the failure, or empty when it did not
     */
    public java.util.Optional<MatrixApiException> lastFailure() {
        return java.util.Optional.ofNullable(lastFailure);
    }
}
