package org.panolm.cli.keys;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

import org.panolm.cli.CliException;
import org.panolm.export.ExportedRoomKey;

/** Loads {@code --keys} files of any kind into a {@link KeyRing}. */
public final class KeyLoader {
    private KeyLoader() {}

    /**
     * @param filter which keys to keep, or null for all
     * @throws CliException when a file cannot be read or unlocked (wrong passphrase, wrong Security Key)
     */
    public static void load(List<Path> files, String option, KeySecretOptions secrets, Predicate<ExportedRoomKey> filter,
                            KeyRing ring) {
        for (Path file : files) {
            KeyFileKind kind = KeyFileKind.of(file, option);
            String name = file.toString();
            switch (kind) {
                case JSON_ARRAY -> {
                    try (InputStream in = Files.newInputStream(file)) {
                        KeyArrayReader.read(in, name, (key, where) -> {
                            if (key == null || filter == null || filter.test(key)) {
                                ring.add(key, name + " " + where);
                            }
                        });
                    } catch (IOException e) {
                        throw new CliException("cannot read " + option + " " + file + ": " + describe(e));
                    }
                }
                case EXPORT_FILE, BACKUP_BODY -> throw new CliException(option + " " + file + " is "
                        + kind.description() + ", which this build cannot read yet");
            }
        }
    }

    /** Prints a warning naming the first few keys that could not be used. */
    public static void reportRejected(KeyRing ring, PrintStream err) {
        if (ring.rejectedCount() == 0) {
            return;
        }
        err.println("panolm: warning: " + ring.rejectedCount() + " key(s) could not be used:");
        for (String example : ring.rejectedExamples()) {
            err.println("panolm:   " + example);
        }
        if (ring.rejectedCount() > ring.rejectedExamples().size()) {
            err.println("panolm:   …");
        }
    }

    public static String describe(IOException e) {
        return KeyFileKind.describe(e);
    }
}
