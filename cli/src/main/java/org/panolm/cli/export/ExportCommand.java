package org.panolm.cli.export;

import picocli.CommandLine.Command;

/** {@code panolm export}: Element's room-key export files. */
@Command(name = "export", description = "Room-key export files (Element's \"Export E2E room keys\").",
        mixinStandardHelpOptions = true,
        subcommands = {ExportDecryptCommand.class, ExportEncryptCommand.class, ExportInspectCommand.class})
public final class ExportCommand {
}
