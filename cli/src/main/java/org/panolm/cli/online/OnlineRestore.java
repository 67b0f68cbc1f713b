package org.panolm.cli.online;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

import org.panolm.PanolmException;
import org.panolm.backup.BackupDecryptionKey;
import org.panolm.backup.BackupVersion;
import org.panolm.cli.CliException;
import org.panolm.cli.Errors;
import org.panolm.cli.ExitCodes;
import org.panolm.cli.SecretInput;
import org.panolm.cli.Terminal;
import org.panolm.cli.keys.KeySecretOptions;
import org.panolm.client.backup.BackupRestorer;
import org.panolm.client.backup.RestoreSummary;
import org.panolm.client.backup.RestoreTarget;
import org.panolm.client.backup.SecureBackup;
import org.panolm.client.backup.UnlockedSecrets;
import org.panolm.keystore.SessionFilter;
import org.panolm.recovery.Passphrase;

/**
 * {@code panolm backup restore} without {@code --backup}: the logged-in device opens secret storage with the
 * Security Key (or Phrase), restores the server's backup into its store, keeps the backup key so that
 * {@code panolm sync} backs new keys up, and verifies itself with the self-signing key when secret storage holds it.
 */
public final class OnlineRestore {
    private OnlineRestore() {}

    /**
     * Restores the current backup version into the device's store.
     *
     * @param device which device
     * @param secrets where the Security Key (or, with {@code --passphrase-file} or {@code $PANOLM_PASSPHRASE}, the
     *     Security Phrase) comes from
     * @param err where to report
     * @return the exit status
     */
    public static int run(DeviceOptions device, KeySecretOptions secrets, PrintWriter err) {
        Path dir = device.directory(null);
        DeviceSession session = device.open(dir);
        try (session) {
            SecureBackup backup = session.backup();
            BackupVersion version = backup.currentVersion().orElseThrow(() -> new CliException(
                    session.engine().userId() + " has no key backup on the server"));
            boolean phrase = secrets.passphraseFile() != null || hasEnv(SecretInput.PASSPHRASE_ENV);
            try (UnlockedSecrets unlocked = unlock(backup, secrets, phrase)) {
                BackupDecryptionKey key = unlocked.backupKey().orElseThrow(() -> new CliException(
                        "secret storage holds no backup key (m.megolm_backup.v1)"));
                if (!key.matches(version.authData())) {
                    throw new CliException("the backup key in secret storage is not the key of backup version "
                            + Terminal.printable(version.version()));
                }
                boolean trusted = backup.trust(version, unlocked).trusted();
                long started = System.nanoTime();
                session.adoptJournal(version.version());
                // Each decrypted chunk goes into the store (and is marked as in this version, so the upload queue
                // does not send it back) as it completes: memory holds one chunk whatever the backup's size.
                RestoreSummary summary = new BackupRestorer(session.client(), RestoreTarget.of(session.store()),
                        BackupRestorer.DEFAULT_CHUNK).restore(version, trusted, key, SessionFilter.all());
                long added = summary.added() + summary.improved();
                session.engine().storeSecret(DeviceSession.BACKUP_KEY_SECRET, key.toBase64());
                double seconds = (System.nanoTime() - started) / 1e9;
                summary.failures().forEach(f -> err.println("panolm: not restored: room " + Terminal.printable(f.roomId())
                        + (f.sessionId() == null ? "" : " session " + Terminal.printable(f.sessionId())) + ": "
                        + Terminal.printable(Errors.describe(f.error()))));
                err.println(String.format(Locale.ROOT, "panolm: restored %,d of %,d sessions from backup version %s "
                                + "(%s), %,d new to the store, in %.2f s", summary.restored(), summary.sessionsRead(),
                        Terminal.printable(version.version()), trusted ? "trusted" : "NOT trusted: its keys are "
                                + "marked unauthenticated", added, seconds));
                if (unlocked.crossSigning().isPresent()) {
                    try {
                        backup.verifyThisDevice(unlocked);
                        err.println("panolm: this device is now verified by the user's self-signing key");
                    } catch (PanolmException e) {
                        err.println("panolm: this device could not be verified: " + Errors.describe(e));
                    }
                }
                err.flush();
                return summary.failureCount() == 0 ? ExitCodes.OK : ExitCodes.SOME_FAILED;
            }
        }
    }

    private static UnlockedSecrets unlock(SecureBackup backup, KeySecretOptions secrets, boolean phrase) {
        try {
            if (phrase) {
                try (Passphrase p = Passphrase.of(secrets.passphrase("Security Phrase"))) {
                    return backup.unlock(p);
                }
            }
            return backup.unlock(new String(secrets.recoveryKey("Security Key")));
        } catch (PanolmException e) {
            throw new CliException("cannot open secret storage with the " + (phrase ? "Security Phrase" : "Security Key")
                    + ": " + Errors.describe(e));
        }
    }

    private static boolean hasEnv(String name) {
        String v = System.getenv(name);
        return v != null && !v.isEmpty();
    }

}
