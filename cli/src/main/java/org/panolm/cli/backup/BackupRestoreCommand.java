package org.panolm.cli.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.panolm.cli.ExitCodes;
import org.panolm.cli.io.OutputTarget;
import org.panolm.cli.keys.CollectingSink;
import org.panolm.cli.keys.ExportOutputOptions;
import org.panolm.cli.keys.KeyFileKind;
import org.panolm.cli.keys.KeyLoader;
import org.panolm.cli.keys.KeySecretOptions;
import org.panolm.cli.keys.RoomOptions;
import org.panolm.cli.CliException;
import org.panolm.export.ExportedRoomKey;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code panolm backup restore}: a backup body and its Security Key (or Phrase) in, an export file out. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Decrypts a /room_keys/keys backup body with the Security Key (or the Security Phrase) into "
                + "a room-key export file, or with --out-json a plain JSON array.",
            "Exit status: 0 every session restored, 2 some could not be (listed on standard error), 1 fatal "
                + "(wrong Security Key, unreadable file; then no output file is left)."})
public final class BackupRestoreCommand implements Callable<Integer> {
    @Option(names = "--backup", required = true, paramLabel = "FILE", description = "The /room_keys/keys body (GET response).")
    Path backup;

    @Option(names = "--out", required = true, paramLabel = "FILE|-", description = "Where to write the keys.")
    String out;

    @Mixin
    KeySecretOptions secrets;

    @Mixin
    RoomOptions rooms;

    @Mixin
    ExportOutputOptions output;

    @Override
    public Integer call() throws IOException {
        output.check();
        OutputTarget.checkWritable(out, "--out");
        long started = System.nanoTime();
        CollectingSink restored = new CollectingSink();
        KeySecretOptions unlock = secrets;
        try (unlock) {
            KeyFileKind kind = KeyFileKind.of(backup, "--backup");
            if (kind != KeyFileKind.BACKUP_BODY) {
                throw new CliException("--backup " + backup + " is " + kind.description() + ", not a /room_keys/keys body");
            }
            KeyLoader.load(List.of(backup), "--backup", unlock, rooms.rooms(), restored);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        restored.report(System.err);
        try (OutputTarget target = OutputTarget.open(out)) {
            try (ExportOutputOptions.KeyOutput keys = output.open(target.stream())) {
                for (ExportedRoomKey key : restored.keys()) {
                    keys.write(key);
                }
            }
            target.commit();
        }
        long n = restored.keys().size();
        System.err.println(String.format(Locale.ROOT, "panolm: restored %,d of %,d sessions in %.2f s (%,.0f keys/s)",
                n, n + restored.rejectedCount(), seconds, seconds > 0 ? n / seconds : 0));
        return restored.rejectedCount() == 0 ? ExitCodes.OK : ExitCodes.SOME_FAILED;
    }
}
