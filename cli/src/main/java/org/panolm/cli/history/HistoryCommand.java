package org.panolm.cli.history;

import picocli.CommandLine.Command;

/** {@code panolm history}: room histories. */
@Command(name = "history", description = "Encrypted room histories.",
        mixinStandardHelpOptions = true,
        subcommands = {HistoryDecryptCommand.class, org.panolm.cli.render.HistoryRenderCommand.class})
public final class HistoryCommand {
}
