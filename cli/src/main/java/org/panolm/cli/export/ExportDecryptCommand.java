package org.panolm.cli.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.panolm.cli.CliException;
import org.panolm.cli.Errors;
import org.panolm.cli.ExitCodes;
import org.panolm.cli.io.OutputTarget;
import org.panolm.cli.keys.KeyFileKind;
import org.panolm.cli.keys.KeyListWriter;
import org.panolm.cli.keys.KeyLoader;
import org.panolm.cli.keys.KeySecretOptions;
import org.panolm.cli.keys.KeySink;
import org.panolm.cli.keys.RoomOptions;
import org.panolm.export.ExportedRoomKey;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code panolm export decrypt}: an export file in, its JSON array of keys out, streamed. */
@Command(name = "decrypt", mixinStandardHelpOptions = true,
        description = "Decrypts a room-key export file into a plain JSON array of keys (the MAC is checked over the "
                + "whole file before anything is decrypted).")
public final class ExportDecryptCommand implements Callable<Integer> {
    @Option(names = "--in", required = true, paramLabel = "FILE", description = "The export file.")
    Path in;

    @Option(names = "--out", paramLabel = "FILE|-", defaultValue = "-", description = "The JSON array (default: standard output).")
    String out;

    @Mixin
    KeySecretOptions secrets;

    @Mixin
    RoomOptions rooms;

    @Override
    public Integer call() throws IOException {
        OutputTarget.checkWritable(out, "--out");
        KeyFileKind kind = KeyFileKind.of(in, "--in");
        if (kind != KeyFileKind.EXPORT_FILE) {
            throw new CliException("--in " + in + " is " + kind.description() + ", not a room-key export file");
        }
        KeySecretOptions unlock = secrets;
        long written;
        try (unlock; OutputTarget target = OutputTarget.open(out)) {
            try (KeyListWriter writer = new KeyListWriter(target.stream())) {
                KeyLoader.load(in, "--in", unlock, rooms.rooms(), new KeySink() {
                    @Override
                    public void key(ExportedRoomKey key, org.panolm.megolm.KeyProvenance provenance, String where) {
                        try {
                            // The file's own claim, if it made one, stays beside the key (never trusted).
                            writer.write(key, provenance instanceof org.panolm.megolm.KeyProvenance.ImportedFromFile f
                                    ? f.claimed() : null);
                        } catch (IOException e) {
                            throw new CliException("cannot write the output: " + Errors.describe(e), e);
                        }
                    }

                    @Override
                    public void rejected(String where, String why) {
                        throw new IllegalStateException("an export file has no per-entry failures");
                    }
                });
                written = writer.count();
            }
            target.commit();
        }
        System.err.println("panolm: " + written + " keys");
        return ExitCodes.OK;
    }
}
