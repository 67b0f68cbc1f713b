package org.panolm.cli.keys;

import java.nio.file.Path;
import java.util.Arrays;

import org.panolm.cli.SecretInput;

import picocli.CommandLine.Option;

/**
 * Where the secrets that unlock key files come from; never the secret itself on the command line. Each
 * secret is asked for at most once per run and wiped by {@link #close()}.
 */
public final class KeySecretOptions implements AutoCloseable {
    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "File holding the passphrase of room-key export files, or the Security Phrase of a "
                    + "backup (else $" + SecretInput.PASSPHRASE_ENV + ", else a prompt).")
    Path passphraseFile;

    @Option(names = "--recovery-key-file", paramLabel = "FILE",
            description = "File holding the Security Key (recovery key) of a backup (else $"
                    + SecretInput.RECOVERY_KEY_ENV + ", else a prompt).")
    Path recoveryKeyFile;

    @Option(names = "--pbkdf2-salt", paramLabel = "SALT",
            description = "With a Security Phrase: the backup's m.pbkdf2 salt (or give --backup-version).")
    String pbkdf2Salt;

    @Option(names = "--pbkdf2-iterations", paramLabel = "N",
            description = "With a Security Phrase: the backup's m.pbkdf2 iteration count.")
    Integer pbkdf2Iterations;

    @Option(names = "--backup-version", paramLabel = "FILE",
            description = "The backup version JSON (GET /room_keys/version): its auth_data names the public key "
                    + "and, for a Security Phrase, the salt and iterations.")
    Path backupVersion;

    @Option(names = "--account-data", paramLabel = "FILE",
            description = "Account data holding secret storage (as Element keeps it): the Security Key (or "
                    + "Phrase) opens it and its m.megolm_backup.v1 secret is the backup key.")
    Path accountData;

    private char[] passphrase;
    private char[] recoveryKey;

    /** The passphrase (read once, then reused); the caller must not wipe it. */
    public char[] passphrase(String what) {
        if (passphrase == null) {
            passphrase = SecretInput.read(passphraseFile, "--passphrase-file", SecretInput.PASSPHRASE_ENV, what);
        }
        return passphrase;
    }

    /** The Security Key text (read once, then reused); the caller must not wipe it. */
    public char[] recoveryKey(String what) {
        if (recoveryKey == null) {
            recoveryKey = SecretInput.read(recoveryKeyFile, "--recovery-key-file", SecretInput.RECOVERY_KEY_ENV, what);
        }
        return recoveryKey;
    }

    public String pbkdf2Salt() {
        return pbkdf2Salt;
    }

    public Integer pbkdf2Iterations() {
        return pbkdf2Iterations;
    }

    public Path backupVersion() {
        return backupVersion;
    }

    public Path accountData() {
        return accountData;
    }

    public Path recoveryKeyFile() {
        return recoveryKeyFile;
    }

    public Path passphraseFile() {
        return passphraseFile;
    }

    @Override
    public void close() {
        if (passphrase != null) {
            Arrays.fill(passphrase, '\0');
            passphrase = null;
        }
        if (recoveryKey != null) {
            Arrays.fill(recoveryKey, '\0');
            recoveryKey = null;
        }
    }
}
