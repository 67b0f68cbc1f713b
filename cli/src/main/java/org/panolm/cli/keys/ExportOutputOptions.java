package org.panolm.cli.keys;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;

import org.panolm.PanolmException;
import org.panolm.cli.CliException;
import org.panolm.cli.Errors;
import org.panolm.cli.SecretInput;
import org.panolm.export.ExportedRoomKey;
import org.panolm.export.RoomKeyExportWriter;
import org.panolm.megolm.KeyProvenance;
import org.panolm.recovery.Passphrase;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How keys are written out: an export file under a new passphrase (the default) or, with --out-json, plain JSON. */
public final class ExportOutputOptions {
    public static final String OUT_PASSPHRASE_ENV = "PANOLM_OUT_PASSPHRASE";

    @Option(names = "--out-json", description = "Write a plain JSON array of keys instead of an export file "
            + "(unencrypted key material: keep it safe).")
    boolean json;

    @Option(names = "--out-passphrase-file", paramLabel = "FILE",
            description = "File holding the passphrase for the new export file (else $" + OUT_PASSPHRASE_ENV
                    + ", else a prompt).")
    Path passphraseFile;

    @Mixin
    ExportRounds rounds;

    /** Checks the options before any work is done. */
    public void check() {
        if (!json) {
            rounds.checked();
        }
    }

    /** A writer for the chosen form; the passphrase (if any) is read now, before any work. */
    public KeyOutput open(OutputStream out) throws IOException {
        if (json) {
            KeyListWriter w = new KeyListWriter(out);
            return new KeyOutput() {
                @Override
                public void write(ExportedRoomKey key, KeyProvenance provenance) throws IOException {
                    w.write(key, provenance);
                }

                @Override
                public void close() throws IOException {
                    w.close();
                }
            };
        }
        RoomKeyExportWriter w = exportWriter(out, passphraseFile, OUT_PASSPHRASE_ENV, rounds.checked());
        return new KeyOutput() {
            @Override
            public void write(ExportedRoomKey key, KeyProvenance provenance) throws IOException {
                w.write(key, provenance);
            }

            @Override
            public void close() throws IOException {
                w.close();
            }
        };
    }

    /** An export-file writer under a passphrase read from {@code file}, {@code env} or a prompt; {@code rounds} checked. */
    public static RoomKeyExportWriter exportWriter(OutputStream out, Path file, String env, int rounds) throws IOException {
        char[] chars = SecretInput.read(file, OUT_PASSPHRASE_ENV.equals(env) ? "--out-passphrase-file" : "--passphrase-file", env,
                "passphrase for the new export file");
        try (Passphrase passphrase = Passphrase.of(chars)) {
            return RoomKeyExportWriter.open(out, passphrase, rounds);
        } catch (PanolmException e) {
            throw new CliException("--rounds: " + Errors.describe(e));
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    public interface KeyOutput extends AutoCloseable {
        /**
         * Writes a key and, beside it, its provenance (as the extra field panolm reads back as a claim).
         *
         * @throws org.panolm.export.InvalidRoomKeyException when an export file could not hold the key
         */
        void write(ExportedRoomKey key, KeyProvenance provenance) throws IOException;

        @Override
        void close() throws IOException;
    }
}
