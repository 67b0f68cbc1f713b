package org.panolm.cli.online;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;

import org.panolm.cli.CliException;
import org.panolm.cli.Errors;
import org.panolm.cli.ExitCodes;
import org.panolm.cli.SecretInput;
import org.panolm.client.backup.SecureBackup;
import org.panolm.client.backup.SetupResult;
import org.panolm.client.backup.UnlockedSecrets;
import org.panolm.recovery.Passphrase;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code panolm backup setup}: Secure Backup for the user, as Element sets it up. */
@Command(name = "setup", mixinStandardHelpOptions = true,
        description = {"Sets up Secure Backup for the logged-in device's user: cross-signing, secret storage and a "
                + "key backup version, all opened by a new Security Key (printed once on standard output, or "
                + "written to --recovery-key-out) or, with --phrase, by a Security Phrase; then backs up the "
                + "store's room keys.",
            "Refuses when the user already has a key backup (restore it with panolm backup restore instead)."})
public final class BackupSetupCommand implements Callable<Integer> {
    /** PBKDF2 rounds for a Security Phrase (Element uses 500,000). */
    private static final int PHRASE_ITERATIONS = 500_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--phrase", description = "Open it with a Security Phrase (from --passphrase-file, $"
            + SecretInput.PASSPHRASE_ENV + " or a prompt) instead of a generated Security Key.")
    boolean phrase;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "With --phrase: file holding the Security Phrase.")
    Path phraseFile;

    @Option(names = "--recovery-key-out", paramLabel = "FILE",
            description = "Write the new Security Key to FILE (created owner-only) instead of standard output.")
    Path recoveryKeyOut;

    @Mixin
    AccountPassword password;

    @Mixin
    DeviceOptions device;

    @Override
    public Integer call() {
        if (phrase && recoveryKeyOut != null) throw new CliException("--recovery-key-out goes without --phrase");
        if (!phrase && phraseFile != null) throw new CliException("--passphrase-file goes with --phrase");
        if (recoveryKeyOut != null && Files.exists(recoveryKeyOut)) {
            throw new CliException("--recovery-key-out " + recoveryKeyOut + " exists: it is not overwritten");
        }
        Path dir = device.directory(null);
        DeviceSession session = device.open(dir);
        PrintWriter err = spec.commandLine().getErr();
        try (session) {
            SecureBackup backup = session.backup();
            if (backup.currentVersion().isPresent()) {
                throw new CliException(session.engine().userId() + " already has a key backup: use panolm backup "
                        + "restore with its Security Key (or Phrase)");
            }
            session.syncLoop(Duration.ZERO).syncOnce(); // the device keys are published before they are signed
            char[] pw = password.read(session.engine().userId());
            SetupResult setup;
            try {
                if (phrase) {
                    char[] p = SecretInput.read(phraseFile, "--passphrase-file", SecretInput.PASSPHRASE_ENV,
                            "new Security Phrase");
                    try (Passphrase ph = Passphrase.of(p)) {
                        setup = backup.setUpWithPassphrase(ph, PHRASE_ITERATIONS, pw);
                    } finally {
                        Arrays.fill(p, '\0');
                    }
                } else {
                    setup = backup.setUpWithSecurityKey(pw);
                }
            } finally {
                Arrays.fill(pw, '\0');
            }
            try (UnlockedSecrets secrets = setup.secrets()) {
                session.engine().storeSecret(DeviceSession.BACKUP_KEY_SECRET,
                        secrets.backupKey().orElseThrow().toBase64());
                setup.generatedSecurityKey().ifPresent(this::showSecurityKey);
                err.println("panolm: Secure Backup is set up: backup version " + setup.version().version());
                err.flush();
                OnlineBackup.catchUp(session, backup, secrets, err);
            }
        }
        return ExitCodes.OK;
    }

    private void showSecurityKey(String key) {
        PrintWriter err = spec.commandLine().getErr();
        if (recoveryKeyOut != null) {
            try {
                Files.write(Files.createFile(recoveryKeyOut,
                                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                        (key + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new CliException("cannot write --recovery-key-out " + recoveryKeyOut + ": " + Errors.describe(e));
            }
            err.println("panolm: the Security Key is in " + recoveryKeyOut + ": keep it safe, it opens the backup");
        } else {
            err.println("panolm: your Security Key (shown once; keep it safe, it opens the backup):");
            err.flush();
            PrintWriter out = spec.commandLine().getOut();
            out.println(key);
            out.flush();
        }
        err.flush();
    }
}
