package org.panolm.cli.online;

import java.io.PrintWriter;
import java.util.Optional;

import org.panolm.backup.BackupVersion;
import org.panolm.client.backup.BackupQueue;
import org.panolm.client.backup.BackupUploader;
import org.panolm.client.backup.SecureBackup;
import org.panolm.client.backup.UnlockedSecrets;
import org.panolm.client.backup.UploadOutcome;
import org.panolm.keystore.KeyStore;
import org.panolm.keystore.SessionFilter;

/** The key backup of a device as the online commands use it: the upload queue that follows the sync loop. */
final class OnlineBackup {
    private OnlineBackup() {}

    /**
     * The upload queue of a device that holds a backup key (after {@code backup setup} or {@code restore}), caught
     * up with the store's keys; empty when it holds none or the server has no backup.
     */
    static Optional<BackupQueue> queue(DeviceSession session, PrintWriter err) {
        if (session.engine().secret(DeviceSession.BACKUP_KEY_SECRET).isEmpty()) return Optional.empty();
        SecureBackup backup = session.backup();
        Optional<BackupVersion> version = backup.currentVersion();
        if (version.isEmpty()) {
            err.println("panolm: the homeserver has no key backup any more: new room keys are not backed up");
            err.flush();
            return Optional.empty();
        }
        return Optional.of(catchUp(session, backup, null, err));
    }

    /** A queue on the store's keys, with what is pending uploaded now. */
    static BackupQueue catchUp(DeviceSession session, SecureBackup backup, UnlockedSecrets secrets, PrintWriter err) {
        KeyStore keys = session.backupKeys();
        BackupQueue queue = new BackupQueue(keys, new BackupUploader(session.client(), keys, session.journal(),
                BackupUploader.DEFAULT_BATCH, SessionFilter.all()), backup, secrets);
        Optional<UploadOutcome> outcome = queue.flush();
        if (outcome.isEmpty()) {
            err.println("panolm: the key backup could not be reached; room keys stay pending");
        } else if (outcome.get().state() != UploadOutcome.State.UP_TO_DATE) {
            err.println("panolm: " + SyncCommand.describe(outcome.get()));
        } else if (outcome.get().sessionsUploaded() > 0) {
            err.println("panolm: backed up " + outcome.get().sessionsUploaded() + " room keys to version "
                    + outcome.get().version());
        }
        err.flush();
        return queue;
    }
}
