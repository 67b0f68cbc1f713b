package org.panolm.cli.ssss;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;

import org.panolm.PanolmException;
import org.panolm.cli.CliException;
import org.panolm.cli.Errors;
import org.panolm.cli.ExitCodes;
import org.panolm.cli.SecretInput;
import org.panolm.cli.StandardStreams;
import org.panolm.cli.Terminal;
import org.panolm.cli.keys.SecretStorageUnlock;
import org.panolm.ssss.SecretStorageAccountData;
import org.panolm.ssss.SecretStorageKey;
import org.panolm.ssss.SecretStorageKeyDescription;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code panolm ssss decrypt}: one secret out of secret storage. */
@Command(name = "decrypt", mixinStandardHelpOptions = true,
        description = {"Decrypts one secret from account data (the /sync account_data object, a JSON array of events, "
                + "or an object from event type to content) and prints it as stored, unpadded base64.",
            "The key is the default secret-storage key unless --key-id; it comes from the Security Key, or from the "
                + "Security Phrase when the key description has m.pbkdf2 and a phrase is given "
                + "(--passphrase-file or $" + SecretInput.PASSPHRASE_ENV + "). A wrong key fails the key check "
                + "(exit 1) before anything is decrypted."})
public final class SsssDecryptCommand implements Callable<Integer> {
    @Option(names = "--account-data", required = true, paramLabel = "FILE", description = "The account data.")
    Path accountData;

    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "The secret, e.g. m.megolm_backup.v1 or m.cross_signing.master.")
    String name;

    @Option(names = "--key-id", paramLabel = "ID", description = "The secret-storage key (default: the default key).")
    String keyId;

    @Option(names = "--recovery-key-file", paramLabel = "FILE",
            description = "File holding the Security Key (else $" + SecretInput.RECOVERY_KEY_ENV + ", else a prompt).")
    Path recoveryKeyFile;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "File holding the Security Phrase, for keys made from one (else $" + SecretInput.PASSPHRASE_ENV + ").")
    Path passphraseFile;

    @Override
    public Integer call() {
        SecretStorageAccountData data = SecretStorageUnlock.read(accountData, "--account-data");
        String id;
        SecretStorageKeyDescription description;
        if (keyId == null) {
            Map.Entry<String, SecretStorageKeyDescription> d = SecretStorageUnlock.defaultKey(data, accountData,
                    "--account-data");
            id = d.getKey();
            description = d.getValue();
        } else {
            id = keyId;
            try {
                description = data.keyDescription(keyId).orElseThrow(() -> new CliException("--account-data "
                        + accountData + " has no key description m.secret_storage.key." + keyId));
            } catch (PanolmException e) {
                throw new CliException("--account-data " + accountData + ": " + Errors.describe(e));
            }
        }
        try {
            if (data.secret(name).flatMap(s -> s.forKey(id)).isEmpty()) {
                throw new CliException("--account-data " + accountData + ": secret " + name
                        + " is not stored under key " + id);
            }
        } catch (PanolmException e) {
            throw new CliException("--account-data " + accountData + ": " + Errors.describe(e));
        }
        byte[] secret = null;
        try (SecretStorageKey key = SecretStorageUnlock.key(description, id, recoveryKeyFile, passphraseFile)) {
            secret = data.decryptSecret(name, id, key);
            String text = new String(secret, StandardCharsets.UTF_8);
            // Stored as base64 (js-sdk pads it, rust-sdk does not): printed unpadded, as Matrix writes base64.
            StandardStreams.println(Terminal.printable(text.replaceFirst("=+$", "")));
        } catch (PanolmException e) {
            throw new CliException("secret " + name + ": " + Errors.describe(e));
        } finally {
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
        }
        return ExitCodes.OK;
    }
}
