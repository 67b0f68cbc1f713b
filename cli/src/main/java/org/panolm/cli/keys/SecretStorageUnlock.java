package org.panolm.cli.keys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.panolm.PanolmException;
import org.panolm.cli.CliException;
import org.panolm.cli.Errors;
import org.panolm.cli.SecretInput;
import org.panolm.recovery.Passphrase;
import org.panolm.recovery.RecoveryKey;
import org.panolm.recovery.RecoveryKeyException;
import org.panolm.ssss.SecretStorageAccountData;
import org.panolm.ssss.SecretStorageKey;
import org.panolm.ssss.SecretStorageKeyDescription;

/**
 * Opens secret storage as Element does: the Security Key (base58), or the Security Phrase when the key
 * description records {@code m.pbkdf2} and a phrase is given, checked against the key description before
 * anything is decrypted.
 */
public final class SecretStorageUnlock {
    private SecretStorageUnlock() {}

    /** Account data from a file: the /sync account_data object, an array of events, or type → content. */
    public static SecretStorageAccountData read(Path file, String option) {
        try (InputStream in = Files.newInputStream(file)) {
            return SecretStorageAccountData.read(in);
        } catch (IOException e) {
            throw new CliException("cannot read " + option + " " + file + ": " + KeyFileKind.describe(e));
        } catch (PanolmException e) {
            throw new CliException(option + " " + file + ": " + Errors.describe(e));
        }
    }

    /** True when the phrase (not the Security Key) is to be used for this key. */
    public static boolean usePhrase(SecretStorageKeyDescription description, Path passphraseFile) {
        String env = System.getenv(SecretInput.PASSPHRASE_ENV);
        return description.passphrase() != null && (passphraseFile != null || (env != null && !env.isEmpty()));
    }

    /** The key, checked: a wrong Security Key or Phrase is fatal here, before any secret is decrypted. */
    public static SecretStorageKey key(SecretStorageKeyDescription description, String id, Path recoveryKeyFile,
                                       Path passphraseFile) {
        boolean phrase = usePhrase(description, passphraseFile);
        SecretStorageKey key = phrase ? fromPhrase(description, id, passphraseFile) : fromSecurityKey(id, recoveryKeyFile);
        try {
            if (!description.matches(key)) {
                throw new CliException("wrong " + (phrase ? "Security Phrase" : "Security Key")
                        + ": it fails the key check of secret-storage key " + id + "; nothing was decrypted");
            }
        } catch (PanolmException e) {
            key.close();
            throw new CliException("secret-storage key " + id + ": " + Errors.describe(e));
        } catch (RuntimeException e) {
            key.close();
            throw e;
        }
        return key;
    }

    /** The default key id and description, or a precise error. */
    public static Map.Entry<String, SecretStorageKeyDescription> defaultKey(SecretStorageAccountData data, Path file,
                                                                          String option) {
        try {
            return data.defaultKey();
        } catch (PanolmException e) {
            throw new CliException(option + " " + file + ": " + Errors.describe(e));
        }
    }

    private static SecretStorageKey fromPhrase(SecretStorageKeyDescription description, String id, Path passphraseFile) {
        char[] chars = SecretInput.read(passphraseFile, "--passphrase-file", SecretInput.PASSPHRASE_ENV,
                "Security Phrase of secret-storage key " + id);
        try (Passphrase phrase = Passphrase.of(chars)) {
            return SecretStorageKey.fromPassphrase(phrase, description.passphrase());
        } catch (PanolmException e) {
            throw new CliException("secret-storage key " + id + ": " + Errors.describe(e));
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private static SecretStorageKey fromSecurityKey(String id, Path recoveryKeyFile) {
        char[] chars = SecretInput.read(recoveryKeyFile, "--recovery-key-file", SecretInput.RECOVERY_KEY_ENV,
                "Security Key of secret-storage key " + id);
        byte[] bytes = null;
        try {
            bytes = RecoveryKey.decode(new String(chars));
            return SecretStorageKey.fromBytes(bytes);
        } catch (RecoveryKeyException e) {
            throw new CliException("the Security Key " + e.reason().text());
        } finally {
            Arrays.fill(chars, '\0');
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }
}
