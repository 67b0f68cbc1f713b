package org.panolm.cli.online;

import picocli.CommandLine.Command;

/** {@code panolm keys}: a device store's room keys, to and from key files. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "A device's room keys (its encrypted store) to and from key files: export files, JSON arrays "
                + "of keys, /room_keys/keys backup bodies. The store is where keys live; files are how they travel.",
        subcommands = {KeysImportCommand.class, KeysExportCommand.class})
public final class KeysCommand {
}
