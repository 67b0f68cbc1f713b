package org.panolm.cli.backup;

import org.panolm.cli.online.BackupSetupCommand;
import org.panolm.cli.online.BackupStatusCommand;

import picocli.CommandLine.Command;

/** {@code panolm backup}: server-side key backups ({@code m.megolm_backup.v1.curve25519-aes-sha2}). */
@Command(name = "backup", description = "Server-side key backups: online (setup, status, restore) and as /room_keys/keys bodies.",
        mixinStandardHelpOptions = true,
        subcommands = {BackupRestoreCommand.class, BackupCreateCommand.class, BackupSetupCommand.class,
                BackupStatusCommand.class})
public final class BackupCommand {
}
