package org.panolm.cli.ssss;

import picocli.CommandLine.Command;

/** {@code panolm ssss}: secret storage in account data. */
@Command(name = "ssss", description = "Secret storage (m.secret_storage.v1.aes-hmac-sha2) in account data.",
        mixinStandardHelpOptions = true,
        subcommands = {SsssDecryptCommand.class})
public final class SsssCommand {
}
