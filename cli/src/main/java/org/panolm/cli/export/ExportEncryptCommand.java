package org.panolm.cli.export;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.panolm.cli.CliException;
import org.panolm.cli.Errors;
import org.panolm.cli.ExitCodes;
import org.panolm.cli.StandardStreams;
import org.panolm.cli.io.OutputTarget;
import org.panolm.cli.keys.ExportOutputOptions;
import org.panolm.cli.keys.ExportRounds;
import org.panolm.cli.keys.KeyArrayReader;
import org.panolm.cli.keys.KeyLoader;
import org.panolm.cli.keys.KeySink;
import org.panolm.cli.keys.RoomOptions;
import org.panolm.export.ExportedRoomKey;
import org.panolm.export.InvalidRoomKeyException;
import org.panolm.megolm.KeyProvenance;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code panolm export encrypt}: a JSON array of keys in, an export file out, streamed. */
@Command(name = "encrypt", mixinStandardHelpOptions = true,
        description = "Encrypts a plain JSON array of room keys into an export file that Element imports.")
public final class ExportEncryptCommand implements Callable<Integer> {
    @Option(names = "--in", required = true, paramLabel = "FILE|-", description = "The JSON array of keys.")
    String in;

    @Option(names = "--out", required = true, paramLabel = "FILE|-", description = "The export file.")
    String out;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "File holding the new file's passphrase (else $PANOLM_PASSPHRASE, else a prompt).")
    Path passphraseFile;

    @Mixin
    ExportRounds rounds;

    @Mixin
    RoomOptions rooms;

    @Override
    public Integer call() throws IOException {
        int checkedRounds = rounds.checked();
        OutputTarget.checkWritable(out, "--out");
        var selected = rooms.rooms();
        long[] skipped = {0};
        long written;
        try (InputStream input = open(); OutputTarget target = OutputTarget.open(out)) {
            try (var writer = ExportOutputOptions.exportWriter(target.stream(), passphraseFile,
                    org.panolm.cli.SecretInput.PASSPHRASE_ENV, checkedRounds)) {
                String name = "-".equals(in) ? "standard input" : in;
                KeyArrayReader.read(input, name, null, new KeySink() {
                    @Override
                    public void key(ExportedRoomKey key, KeyProvenance provenance, String where) {
                        if (!selected.isEmpty() && !selected.contains(key.roomId())) {
                            skipped[0]++;
                            return;
                        }
                        try {
                            // The input's own provenance claim (if any) goes through beside the key.
                            writer.write(key, provenance instanceof KeyProvenance.ImportedFromFile f ? f.claimed() : null);
                        } catch (InvalidRoomKeyException e) {
                            // Element and nio refuse a whole file for one such key: write no file at all.
                            throw new CliException(name + " " + where + (key.sessionId() == null ? ""
                                    : " (session " + key.sessionId() + ")") + ": " + e.field() + " " + e.problem()
                                    + "; no client could import a file holding it");
                        } catch (IOException e) {
                            throw new CliException("cannot write the output: " + Errors.describe(e), e);
                        }
                    }

                    @Override
                    public void rejected(String where, String why) {
                        // A file that imports must not silently lack a key the input had.
                        throw new CliException(where + ": " + why);
                    }
                });
                written = writer.count();
            }
            target.commit();
        }
        System.err.println("panolm: " + written + " keys" + (skipped[0] > 0 ? " (" + skipped[0] + " of other rooms left out)" : ""));
        return ExitCodes.OK;
    }

    private InputStream open() {
        if ("-".equals(in)) {
            return StandardStreams.input("--in");
        }
        try {
            return Files.newInputStream(Path.of(in));
        } catch (IOException e) {
            throw new CliException("cannot read --in " + in + ": " + KeyLoader.describe(e));
        }
    }
}
