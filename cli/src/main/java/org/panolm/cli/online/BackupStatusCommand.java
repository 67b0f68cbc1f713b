package org.panolm.cli.online;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.panolm.backup.BackupDecryptionKey;
import org.panolm.backup.BackupVersion;
import org.panolm.cli.ExitCodes;
import org.panolm.cli.Terminal;
import org.panolm.client.backup.SecureBackup;
import org.panolm.crosssigning.BackupTrust;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code panolm backup status}: the server's key backup as this device sees it. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows the user's key backup: its version and key count on the server, whether this device "
                + "trusts it, whether this device holds its key, and how many of the store's room keys are not in it yet.",
            "Exit status: 0 a backup exists, 2 there is none, 1 fatal."})
public final class BackupStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOptions device;

    @Override
    public Integer call() {
        Path dir = device.directory(null);
        DeviceSession session = device.open(dir);
        PrintWriter out = spec.commandLine().getOut();
        try (session) {
            SecureBackup backup = session.backup();
            Optional<BackupVersion> current = backup.currentVersion();
            out.println("user: " + session.engine().userId());
            out.println("device: " + session.engine().deviceId());
            if (current.isEmpty()) {
                out.println("backup: none (panolm backup setup creates one)");
                out.flush();
                return ExitCodes.SOME_FAILED;
            }
            BackupVersion v = current.get();
            out.println("backup version: " + Terminal.printable(v.version()));
            out.println("algorithm: " + Terminal.printable(v.algorithm()));
            out.println("keys on server: " + (v.count() == null ? "unknown" : v.count()));
            BackupTrust trust = backup.trust(v, null);
            out.println("trusted: " + (trust.trusted() ? "yes (" + String.join(", ", trust.trustedBy()) + ")" : "no"));
            Optional<String> held = session.engine().secret(DeviceSession.BACKUP_KEY_SECRET);
            boolean matches = held.map(k -> {
                try (BackupDecryptionKey key = BackupDecryptionKey.fromBase64(k)) {
                    return key.matches(v.authData());
                }
            }).orElse(false);
            out.println("backup key on this device: " + (held.isEmpty() ? "no (panolm backup restore fetches it)"
                    : matches ? "yes" : "yes, but for another version (panolm backup restore updates it)"));
            session.adoptJournal(v.version());
            out.println("room keys in the store: " + session.store().transaction(tx -> tx.roomKeyCount()));
            out.println("room keys not backed up yet: " + session.pendingBackupCount(v.version()));
            out.flush();
            return ExitCodes.OK;
        }
    }
}
