package org.panolm.cli.online;

import java.nio.file.Path;

import org.panolm.cli.SecretInput;

import picocli.CommandLine.Option;

/** Where the account password comes from: a file, {@code $PANOLM_PASSWORD} or a prompt; never the command line. */
public final class AccountPassword {
    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File holding the account password (else $" + LoginCommand.PASSWORD_ENV + ", else a prompt).")
    Path passwordFile;

    /**
     * Reads the password; the caller wipes it.
     *
     * @param user whose password, for the prompt
     * @return the password
     */
    public char[] read(String user) {
        return SecretInput.read(passwordFile, "--password-file", LoginCommand.PASSWORD_ENV, "account password of " + user);
    }
}
