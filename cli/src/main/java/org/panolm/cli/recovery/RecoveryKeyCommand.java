package org.panolm.cli.recovery;

import picocli.CommandLine.Command;

/** {@code panolm recovery-key}: Security Keys (base58 recovery keys). */
@Command(name = "recovery-key", description = "Security Keys (recovery keys, base58).",
        mixinStandardHelpOptions = true,
        subcommands = {RecoveryKeyGenerateCommand.class, RecoveryKeyCheckCommand.class})
public final class RecoveryKeyCommand {
}
