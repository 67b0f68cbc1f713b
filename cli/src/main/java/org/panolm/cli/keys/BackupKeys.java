package org.panolm.cli.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;


import org.panolm.PanolmException;
import org.panolm.backup.BackupDecryptionKey;
import org.panolm.backup.BackupVersion;
import org.panolm.cli.CliException;
import org.panolm.cli.Errors;
import org.panolm.recovery.Passphrase;
import org.panolm.recovery.PassphraseInfo;
import org.panolm.recovery.RecoveryKeyException;
import org.panolm.ssss.SecretStorageAccountData;
import org.panolm.ssss.SecretStorageKey;
import org.panolm.ssss.SecretStorageKeyDescription;

/**
 * The backup decryption key from what the user has: the Security Key (base58 recovery key), or a Security
 * Phrase with its {@code m.pbkdf2} salt and iterations (legacy passphrase backups record them in
 * {@code auth_data} as {@code private_key_salt} and {@code private_key_iterations}).
 */
final class BackupKeys {
    private BackupKeys() {}

    /** The parsed {@code --backup-version} file, or null. */
    static BackupVersion version(KeySecretOptions secrets) {
        if (secrets.backupVersion() == null) {
            return null;
        }
        try {
            return BackupVersion.fromJson(Files.readAllBytes(secrets.backupVersion()));
        } catch (IOException e) {
            throw new CliException("cannot read --backup-version " + secrets.backupVersion() + ": " + KeyLoader.describe(e));
        } catch (PanolmException e) {
            throw new CliException("--backup-version " + secrets.backupVersion() + ": " + Errors.describe(e));
        }
    }

    static BackupDecryptionKey decryptionKey(KeySecretOptions secrets, BackupVersion version, String what) {
        if (secrets.accountData() != null) {
            return fromSecretStorage(secrets);
        }
        PassphraseInfo phrase = phraseInfo(secrets, version);
        if (phrase != null) {
            byte[] key = null;
            try (Passphrase passphrase = Passphrase.of(secrets.passphrase("Security Phrase of the " + what))) {
                key = phrase.deriveKey(passphrase);
                if (key.length != BackupDecryptionKey.LENGTH) {
                    throw new CliException("the m.pbkdf2 parameters give a " + key.length * 8
                            + "-bit key; a backup key has 256 bits");
                }
                return BackupDecryptionKey.fromBytes(key);
            } catch (PanolmException e) {
                throw new CliException("Security Phrase: " + Errors.describe(e));
            } finally {
                if (key != null) {
                    Arrays.fill(key, (byte) 0);
                }
            }
        }
        char[] text = secrets.recoveryKey("Security Key of the " + what);
        try {
            return BackupDecryptionKey.fromRecoveryKey(new String(text));
        } catch (RecoveryKeyException e) {
            throw new CliException("the Security Key " + e.reason().text());
        }
    }

    /** Element's way: the Security Key opens secret storage, whose m.megolm_backup.v1 secret is the backup key. */
    private static BackupDecryptionKey fromSecretStorage(KeySecretOptions secrets) {
        Path file = secrets.accountData();
        SecretStorageAccountData data = SecretStorageUnlock.read(file, "--account-data");
        Map.Entry<String, SecretStorageKeyDescription> d = SecretStorageUnlock.defaultKey(data, file, "--account-data");
        if (data.secret(BACKUP_SECRET).flatMap(s -> s.forKey(d.getKey())).isEmpty()) {
            throw new CliException("--account-data " + file + ": secret " + BACKUP_SECRET + " is not stored under the "
                    + "default key " + d.getKey());
        }
        byte[] secret = null;
        try (SecretStorageKey key = SecretStorageUnlock.key(d.getValue(), d.getKey(), secrets.recoveryKeyFile(),
                secrets.passphraseFile())) {
            secret = data.decryptSecret(BACKUP_SECRET, d.getKey(), key);
            return BackupDecryptionKey.fromBase64(new String(secret, java.nio.charset.StandardCharsets.US_ASCII).strip());
        } catch (PanolmException e) {
            throw new CliException("--account-data " + file + ": secret " + BACKUP_SECRET + ": " + Errors.describe(e));
        } finally {
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }

    private static final String BACKUP_SECRET = "m.megolm_backup.v1";

    /** The m.pbkdf2 parameters when a phrase is to be used, from the options or the version's auth_data. */
    private static PassphraseInfo phraseInfo(KeySecretOptions secrets, BackupVersion version) {
        String salt = secrets.pbkdf2Salt();
        Integer iterations = secrets.pbkdf2Iterations();
        Integer bits = null;
        if (salt == null && version != null && version.authData() != null) {
            Object s = version.authData().other().get("private_key_salt");
            Integer i = intValue(version.authData().other().get("private_key_iterations"));
            if (s instanceof String text && i != null) {
                salt = text;
                iterations = i;
                bits = intValue(version.authData().other().get("private_key_bits"));
            }
        }
        if (salt == null && iterations == null) {
            return null;
        }
        if (salt == null || iterations == null) {
            throw new CliException("a Security Phrase needs both --pbkdf2-salt and --pbkdf2-iterations "
                    + "(or a --backup-version whose auth_data has private_key_salt and private_key_iterations)");
        }
        return new PassphraseInfo(PassphraseInfo.PBKDF2, salt, iterations, bits);
    }

    /** A JSON integer that fits an int (auth_data fields are parsed as plain Java values), else null. */
    private static Integer intValue(Object value) {
        if (value instanceof Integer n) return n;
        if (value instanceof Long n && n == n.intValue()) return n.intValue();
        if (value instanceof java.math.BigInteger n && n.bitLength() < 32) return n.intValue();
        return null;
    }
}
