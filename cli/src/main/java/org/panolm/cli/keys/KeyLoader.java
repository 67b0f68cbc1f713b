package org.panolm.cli.keys;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.backup.BackupDecryptionKey;
import org.panolm.backup.BackupVersion;
import org.panolm.backup.RestoreFailure;
import org.panolm.backup.RestoreSink;
import org.panolm.cli.CliException;
import org.panolm.cli.Errors;
import org.panolm.cli.Terminal;
import org.panolm.export.ExportedRoomKey;
import org.panolm.export.RoomKeyExport;
import org.panolm.export.RoomKeyExportException;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;
import org.panolm.megolm.KeyProvenance;
import org.panolm.recovery.Passphrase;

/**
 * Reads room keys from {@code --keys} files of any kind (export file, plain JSON array, backup body) and
 * hands them to a {@link KeySink}. Anything that makes a whole file unusable (unreadable, wrong passphrase,
 * wrong Security Key, damaged armour) is fatal and says which file and why; a single bad entry is passed on
 * as rejected and the rest continue.
 */
public final class KeyLoader {
    private KeyLoader() {}

    /**
     * @param rooms only keys of these rooms (empty: all)
     * @throws CliException when a file cannot be read or unlocked
     */
    public static void load(List<Path> files, String option, KeySecretOptions secrets, Set<String> rooms,
                            KeySink sink) {
        for (Path file : files) {
            load(file, option, secrets, rooms, sink);
        }
    }

    public static KeyFileKind load(Path file, String option, KeySecretOptions secrets, Set<String> rooms,
                                   KeySink sink) {
        KeyFileKind kind = KeyFileKind.of(file, option);
        String name = file.toString();
        switch (kind) {
            case JSON_ARRAY -> {
                try (InputStream in = Files.newInputStream(file)) {
                    KeyArrayReader.read(in, name, fileLabel(file), new KeySink() {
                        @Override
                        public void key(ExportedRoomKey key, KeyProvenance provenance, String where) {
                            if (rooms.isEmpty() || rooms.contains(key.roomId())) {
                                sink.key(key, provenance, name + " " + where);
                            }
                        }

                        @Override
                        public void rejected(String where, String why) {
                            sink.rejected(where, why);
                        }
                    });
                } catch (IOException e) {
                    throw new CliException("cannot read " + option + " " + file + ": " + describe(e));
                }
            }
            case EXPORT_FILE -> readExport(file, option, secrets, rooms, sink);
            case BACKUP_BODY -> readBackup(file, option, secrets, rooms, sink);
        }
        return kind;
    }

    private static void readExport(Path file, String option, KeySecretOptions secrets, Set<String> rooms, KeySink sink) {
        String name = file.toString();
        long[] n = {0};
        try (Passphrase passphrase = Passphrase.of(secrets.passphrase("passphrase of the export file " + name))) {
            RoomKeyExport.importFileWithProvenance(file, passphrase,
                    rooms.isEmpty() ? SessionFilter.all() : SessionFilter.rooms(rooms),
                    (key, provenance) -> sink.key(key, provenance, name + " key " + (++n[0])));
        } catch (RoomKeyExportException e) {
            throw new CliException(option + " " + file + ": " + switch (e.reason()) {
                case WRONG_PASSPHRASE -> "wrong passphrase (or the file was altered): its MAC does not verify, "
                        + "nothing was decrypted";
                default -> Errors.describe(e);
            });
        } catch (PanolmException e) {
            throw new CliException(option + " " + file + ": " + Errors.describe(e));
        } catch (IOException e) {
            throw new CliException("cannot read " + option + " " + file + ": " + describe(e));
        }
    }

    private static void readBackup(Path file, String option, KeySecretOptions secrets, Set<String> rooms, KeySink sink) {
        // Opened first, so that an unreadable file fails before any prompt for its key.
        try (InputStream in = openBackup(file, option)) {
            BackupVersion version = backupVersion(secrets);
            try (BackupDecryptionKey key = backupKey(secrets, version, file)) {
                restoreBackup(in, file, option, key, version, rooms, sink);
            }
        } catch (IOException e) {
            throw new CliException("cannot read " + option + " " + file + ": " + describe(e));
        }
    }

    /**
     * Opens a backup body for {@link #restoreBackup}.
     *
     * @throws CliException when it cannot be opened
     */
    public static InputStream openBackup(Path file, String option) {
        try {
            return new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (IOException e) {
            throw new CliException("cannot read " + option + " " + file + ": " + describe(e));
        }
    }

    /** The parsed {@code --backup-version} file, or null when none was given. */
    public static BackupVersion backupVersion(KeySecretOptions secrets) {
        return BackupKeys.version(secrets);
    }

    /** The backup decryption key from what the user has (Security Key, Security Phrase, secret storage). */
    public static BackupDecryptionKey backupKey(KeySecretOptions secrets, BackupVersion version, Path file) {
        return BackupKeys.decryptionKey(secrets, version, "backup " + file);
    }

    /**
     * Restores a backup body as it is read, handing each key and each entry that could not be restored to
     * {@code sink} in the body's order, so memory does not grow with the body. A body of which no entry
     * decrypts because every MAC fails is a wrong Security Key: fatal, after the whole body was read.
     *
     * @param in      the body, from {@link #openBackup}; not closed
     * @param version the backup version (its public key must be the key's), or null
     * @throws CliException when the body is not a backup body, cannot be read, or the key is wrong
     */
    public static void restoreBackup(InputStream in, Path file, String option, BackupDecryptionKey key,
                                     BackupVersion version, Set<String> rooms, KeySink sink) {
        String name = file.toString();
        SessionFilter filter = rooms.isEmpty() ? SessionFilter.all() : SessionFilter.rooms(rooms);
        long[] restored = {0};
        long[] failed = {0};
        long[] badMac = {0};
        RestoreSink each = new RestoreSink() {
            @Override
            public void restored(RoomKeyRecord record) {
                restored[0]++;
                sink.key(record.key(), record.provenance(), name + " room " + record.roomId() + " session "
                        + record.sessionId());
            }

            @Override
            public void failed(RestoreFailure failure) {
                failed[0]++;
                if (failure.error().status() == Status.BAD_MAC) {
                    badMac[0]++;
                }
                String why = Errors.keyProblem(failure.error());
                sink.rejected(name + " room " + failure.roomId()
                        + (failure.sessionId() == null ? "" : " session " + failure.sessionId()), why);
            }
        };
        try {
            // The command has no cross-signing keys to check auth_data's signatures with: never trusted here.
            if (version != null) {
                key.restore(version, false, in, filter, each);
            } else {
                key.restore(in, filter, 0, new KeyProvenance.RestoredFromBackup(null, false), each);
            }
        } catch (PanolmException e) {
            throw new CliException(option + " " + file + ": " + Errors.describe(e));
        } catch (IOException e) {
            throw new CliException("cannot read " + option + " " + file + ": " + describe(e));
        }
        if (restored[0] == 0 && failed[0] > 0 && badMac[0] == failed[0]) {
            throw new CliException(option + " " + file + ": wrong Security Key: none of its "
                    + failed[0] + " sessions decrypts (the MAC check fails for every one)");
        }
    }

    /** How a key's provenance names the file it came from: its name, without the folders (as core does). */
    private static String fileLabel(Path file) {
        return file.getFileName() == null ? file.toString() : file.getFileName().toString();
    }

    /** Prints a warning naming the first few keys that could not be used. */
    public static void reportRejected(KeyRing ring, PrintStream err) {
        if (ring.rejectedCount() == 0) {
            return;
        }
        err.println("panolm: warning: " + ring.rejectedCount() + " key(s) could not be used:");
        for (String example : ring.rejectedExamples()) {
            err.println("panolm:   " + Terminal.printable(example));
        }
        if (ring.rejectedCount() > ring.rejectedExamples().size()) {
            err.println("panolm:   …");
        }
    }

    /** Warns when key files hold copies of a session that do not connect: all are kept and tried. */
    public static void reportConflicts(KeyRing ring, PrintStream err) {
        int sessions = ring.conflictedSessions();
        if (sessions > 0) {
            err.println("panolm: warning: " + sessions + " session(s) came in copies that do not connect "
                    + "(at most one of each is genuine: a forged or damaged key); every copy is tried");
        }
    }

    public static String describe(IOException e) {
        return KeyFileKind.describe(e);
    }
}
