package org.panolm.cli.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.panolm.cli.ExitCodes;
import org.panolm.cli.io.OutputTarget;
import org.panolm.cli.keys.CollectingSink;
import org.panolm.cli.keys.ExportOutputOptions;
import org.panolm.cli.keys.KeyFileKind;
import org.panolm.cli.keys.KeyLoader;
import org.panolm.cli.keys.KeySink;
import org.panolm.cli.keys.KeySecretOptions;
import org.panolm.cli.keys.RoomOptions;
import org.panolm.cli.CliException;
import org.panolm.export.ExportedRoomKey;
import org.panolm.export.InvalidRoomKeyException;
import org.panolm.megolm.KeyProvenance;
import org.panolm.backup.BackupDecryptionKey;
import org.panolm.backup.BackupVersion;

import org.panolm.cli.online.DeviceOptions;
import org.panolm.cli.online.OnlineRestore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code panolm backup restore}: a backup body and its Security Key (or Phrase) in, an export file out. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Decrypts a /room_keys/keys backup body with the Security Key (or the Security Phrase) into "
                + "a room-key export file, or with --out-json a plain JSON array.",
            "Without --backup and --out: restores the user's backup from the homeserver into the logged-in device's "
                + "store (panolm login), opening secret storage with the Security Key (or, given --passphrase-file "
                + "or $PANOLM_PASSPHRASE, the Security Phrase); panolm sync then backs new keys up.",
            "Exit status: 0 every session restored, 2 some could not be (listed on standard error), 1 fatal "
                + "(wrong Security Key, unreadable file; then no output file is left)."})
public final class BackupRestoreCommand implements Callable<Integer> {
    @Option(names = "--backup", paramLabel = "FILE", description = "The /room_keys/keys body (GET response).")
    Path backup;

    @Option(names = "--out", paramLabel = "FILE|-", description = "Where to write the keys (with --backup).")
    String out;

    @Mixin
    KeySecretOptions secrets;

    @Mixin
    RoomOptions rooms;

    @Mixin
    ExportOutputOptions output;

    @Mixin
    DeviceOptions device;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (backup == null) {
            if (out != null) throw new CliException("--out goes with --backup FILE (without them: restore online)");
            try (KeySecretOptions unlock = secrets) {
                return OnlineRestore.run(device, unlock, spec.commandLine().getErr());
            }
        }
        if (out == null) throw new CliException("--out is needed with --backup");
        output.check();
        OutputTarget.checkWritable(out, "--out");
        KeyFileKind kind = KeyFileKind.of(backup, "--backup");
        if (kind != KeyFileKind.BACKUP_BODY) {
            throw new CliException("--backup " + backup + " is " + kind.description() + ", not a /room_keys/keys body");
        }
        CollectingSink rejected = new CollectingSink();
        long[] written = {0};
        double seconds;
        KeySecretOptions unlock = secrets;
        try (InputStream in = KeyLoader.openBackup(backup, "--backup"); unlock) {
            BackupVersion version = KeyLoader.backupVersion(unlock);
            // The Security Key first, then the new file's passphrase: the order of the prompts.
            try (BackupDecryptionKey key = KeyLoader.backupKey(unlock, version, backup);
                 OutputTarget target = OutputTarget.open(out)) {
                long started = System.nanoTime();
                try (ExportOutputOptions.KeyOutput keys = output.open(target.stream())) {
                    // Each key is written as it is restored: memory holds one batch of the body, not all of it.
                    KeyLoader.restoreBackup(in, backup, "--backup", key, version, rooms.rooms(), new KeySink() {
                        @Override
                        public void key(ExportedRoomKey k, KeyProvenance provenance, String where) {
                            try {
                                keys.write(k, provenance);
                                written[0]++;
                            } catch (InvalidRoomKeyException e) {
                                // One entry an importing client would refuse costs that entry, not the file.
                                rejected.rejected("room " + k.roomId() + " session " + k.sessionId(),
                                        e.field() + " " + e.problem());
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }

                        @Override
                        public void rejected(String where, String why) {
                            rejected.rejected(where, why);
                        }
                    });
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                target.commit();
                seconds = (System.nanoTime() - started) / 1e9;
            }
        }
        long n = written[0];
        rejected.report(System.err);
        System.err.println(String.format(Locale.ROOT, "panolm: restored %,d of %,d sessions in %.2f s (%,.0f keys/s)",
                n, n + rejected.rejectedCount(), seconds, seconds > 0 ? n / seconds : 0));
        return rejected.rejectedCount() == 0 ? ExitCodes.OK : ExitCodes.SOME_FAILED;
    }
}
