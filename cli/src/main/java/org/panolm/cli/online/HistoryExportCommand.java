package org.panolm.cli.online;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.panolm.backup.BackupDecryptionKey;
import org.panolm.backup.BackupVersion;
import org.panolm.cli.CliException;
import org.panolm.cli.Errors;
import org.panolm.cli.ExitCodes;
import org.panolm.cli.Json;
import org.panolm.cli.Terminal;
import org.panolm.cli.history.HistoryWriter;
import org.panolm.cli.history.Outcome;
import org.panolm.cli.render.HistoryRenderCommand;
import org.panolm.client.HomeserverClient;
import org.panolm.client.MatrixApiException;
import org.panolm.client.backup.BackupRestorer;
import org.panolm.client.backup.SecureBackup;
import org.panolm.engine.DecryptedRoomEvent;
import org.panolm.engine.EngineException;
import org.panolm.engine.UndecryptableEventException;
import org.panolm.keystore.KeyStore;
import org.panolm.keystore.RoomKeyRecord;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code panolm history export}: a room's whole history from the homeserver, decrypted with the device's keys (a
 * missing key fetched from the key backup on demand), one file per room.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Archives rooms from the homeserver: pages /messages from the first event on, decrypts each "
                + "encrypted event with the logged-in device's keys (fetching a missing key from the key backup, "
                + "after panolm backup setup or restore), and writes one file per room into --out: JSON Lines as "
                + "panolm history decrypt writes them, or (through panolm history render) html or text. An event "
                + "whose room or session is under panolm's do-not-store flag is written without its plaintext, "
                + "with the status withheld_do_not_store, and counted on standard error.",
            "Exit status: 0 every event readable, 2 some could not be decrypted (marked in the output, counted on "
                + "standard error), 1 fatal (then no output folder is left)."})
public final class HistoryExportCommand implements Callable<Integer> {
    private static final int PAGE = 500;

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    /** Which rooms. */
    static final class Which {
        @Option(names = "--room", paramLabel = "ROOM", description = "A room id (repeatable).")
        List<String> rooms;

        @Option(names = "--all-rooms", description = "Every room the user has joined.")
        boolean all;
    }

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder to create (it must not exist).")
    Path out;

    @Option(names = "--format", paramLabel = "jsonl|html|text", defaultValue = "jsonl",
            description = "jsonl (default), html or text.")
    String format;

    @Mixin
    DeviceOptions device;

    @Override
    public Integer call() throws IOException {
        if (!List.of("jsonl", "html", "text").contains(format)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format must be jsonl, html or text");
        }
        Path target = out.toAbsolutePath();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) throw new CliException("--out " + out + " exists");
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) throw new CliException("--out " + out + ": no such folder to create it in");
        Path dir = device.directory(null);
        DeviceSession session = device.open(dir);
        PrintWriter err = spec.commandLine().getErr();
        Path partial = Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Decryptor decryptor = new Decryptor(session, err);
        try (session; decryptor) {
            session.syncLoop(Duration.ZERO).syncOnce(); // room keys that arrived since the last run
            Set<String> rooms = rooms(session.client());
            Path jsonl = format.equals("jsonl") ? partial : Files.createDirectory(partial.resolve(".jsonl"));
            long events = 0;
            for (String room : rooms) {
                events += export(session.client(), decryptor, room,
                        jsonl.resolve(HistoryRenderCommand.fileName(room) + ".jsonl"));
            }
            if (format.equals("jsonl")) {
                publish(partial, target);
            } else {
                int rc = new CommandLine(new HistoryRenderCommand()).setErr(err)
                        .setExecutionExceptionHandler((ex, cl, parsed) -> {
                            throw ex;
                        }).execute("--in", jsonl.toString(),
                        "--out", target.toString(), "--format", format);
                if (rc != 0) throw new CliException("rendering the " + format + " transcripts failed");
            }
            err.println(String.format(Locale.ROOT, "panolm: exported %,d events of %,d rooms into %s; %,d not "
                    + "decrypted, %,d keys fetched from the backup, %,d withheld by do-not-store", events,
                    rooms.size(), target, decryptor.failed, decryptor.fetched, decryptor.withheld));
            err.flush();
            return decryptor.failed == 0 ? ExitCodes.OK : ExitCodes.SOME_FAILED;
        } finally {
            deleteTree(partial);
        }
    }

    private Set<String> rooms(HomeserverClient client) {
        if (!which.all) return new LinkedHashSet<>(which.rooms);
        Set<String> rooms = new LinkedHashSet<>();
        for (JsonNode r : client.get("/_matrix/client/v3/joined_rooms", JsonNode.class).path("joined_rooms")) {
            if (r.isTextual()) rooms.add(r.textValue());
        }
        return rooms;
    }

    /** Pages the room forwards from its first event, one line per event. */
    private static long export(HomeserverClient client, Decryptor decryptor, String room, Path file) throws IOException {
        long n = 0;
        String base = "/_matrix/client/v3/rooms/" + HomeserverClient.segment(room) + "/messages?dir=f&limit=" + PAGE;
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            String from = null;
            while (true) {
                JsonNode page;
                try {
                    page = client.get(from == null ? base : base + "&from=" + HomeserverClient.segment(from), JsonNode.class);
                } catch (MatrixApiException e) {
                    throw new CliException("room " + Terminal.printable(room) + ": " + Errors.describe(e));
                }
                JsonNode chunk = page.path("chunk");
                for (JsonNode event : chunk) {
                    if (!(event instanceof ObjectNode o)) continue;
                    ObjectNode line = decryptor.line(o, room);
                    os.write(Json.MAPPER.writeValueAsBytes(line));
                    os.write('\n');
                    n++;
                }
                JsonNode end = page.get("end");
                if (end == null || !end.isTextual() || chunk.isEmpty()) break;
                from = end.textValue();
            }
        }
        return n;
    }

    /** Decrypts with the engine, fetching a missing key from the backup once per session. */
    private static final class Decryptor implements AutoCloseable {
        private final DeviceSession session;
        private final PrintWriter err;
        private final Set<String> tried = new HashSet<>();
        private Optional<BackupSource> backup;
        long failed;
        long withheld;
        long fetched;

        private record BackupSource(BackupVersion version, boolean trusted, BackupDecryptionKey key,
                                    BackupRestorer restorer) {}

        Decryptor(DeviceSession session, PrintWriter err) {
            this.session = session;
            this.err = err;
        }

        @Override
        public void close() {
            if (backup != null) backup.ifPresent(b -> b.key().close());
        }

        ObjectNode line(ObjectNode event, String room) {
            if (!"m.room.encrypted".equals(event.path("type").asText())) {
                ObjectNode line = event.deepCopy();
                line.set("decryption", HistoryWriter.decryption(Outcome.NOT_ENCRYPTED));
                return line;
            }
            Outcome outcome = decrypt(event, room);
            ObjectNode line;
            if (outcome instanceof Outcome.Decrypted d) {
                line = Json.MAPPER.createObjectNode();
                for (String field : new String[] {"event_id", "room_id", "sender", "origin_server_ts"}) {
                    if (event.has(field)) line.set(field, event.get(field));
                }
                line.set("type", d.plaintext().tree().get("type"));
                line.set("content", d.plaintext().tree().get("content"));
            } else if (outcome instanceof Outcome.WithheldDoNotStore) {
                // Kept as the encrypted event it was: the row says why, and no plaintext reaches the archive.
                withheld++;
                line = event.deepCopy();
                line.remove("decryption");
            } else {
                failed++;
                line = event.deepCopy();
                line.remove("decryption");
            }
            line.set("decryption", HistoryWriter.decryption(outcome));
            return line;
        }

        private Outcome decrypt(ObjectNode event, String room) {
            try {
                return decrypted(event, session.engine().decryptRoomEvent(event.toString(), room));
            } catch (UndecryptableEventException e) {
                String sessionId = e.sessionId();
                if (e.failure() == null && sessionId != null && tried.add(room + "\u0000" + sessionId) && fetch(room, sessionId)) {
                    try {
                        return decrypted(event, session.engine().decryptRoomEvent(event.toString(), room));
                    } catch (UndecryptableEventException again) {
                        return failed(again);
                    } catch (EngineException bad) {
                        return new Outcome.Failed("BAD_EVENT", "the event is not a usable m.room.encrypted event");
                    }
                }
                return failed(e);
            } catch (EngineException e) {
                return new Outcome.Failed("BAD_EVENT", "the event is not a usable m.room.encrypted event");
            }
        }

        private static Outcome decrypted(ObjectNode event, DecryptedRoomEvent d) {
            if (d.doNotStore()) {
                return new Outcome.WithheldDoNotStore(event.path("content").path("session_id").asText(null));
            }
            JsonNode plaintext;
            try {
                plaintext = Json.STRICT_READER.readTree(d.plaintext());
            } catch (IOException e) {
                return new Outcome.Failed("BAD_EVENT", "the decrypted payload is not JSON");
            }
            if (!(plaintext instanceof ObjectNode p)) {
                return new Outcome.Failed("BAD_EVENT", "the decrypted payload is not a JSON object");
            }
            JsonNode content = event.path("content");
            return new Outcome.Decrypted(p, content.path("session_id").asText(null), d.messageIndex(),
                    content.path("sender_key").asText(null), d.provenance(), 0, 1);
        }

        private static Outcome failed(UndecryptableEventException e) {
            if (e.failure() != null) {
                return new Outcome.Failed(e.failure().name(), "the held keys of session " + e.sessionId()
                        + " do not decrypt it (" + e.failure().name() + ")");
            }
            String withheld = e.withheld() == null ? "" : "; the sender withheld it: " + e.withheld().code();
            return new Outcome.Failed("UNKNOWN_SESSION", "no key for session " + e.sessionId() + withheld);
        }

        /** The session's key from the backup into the store; false when there is none (or no backup key here). */
        private boolean fetch(String room, String sessionId) {
            if (backup == null) backup = openBackup();
            if (backup.isEmpty()) return false;
            BackupSource b = backup.get();
            try {
                Optional<RoomKeyRecord> key = b.restorer().fetch(b.version(), b.trusted(), b.key(), room, sessionId);
                if (key.isEmpty()) return false;
                session.addRestoredRoomKeys(b.version().version(), List.of(key.get()));
                fetched++;
                return true;
            } catch (MatrixApiException e) {
                err.println("panolm: cannot fetch a key from the backup: " + Terminal.printable(Errors.describe(e)));
                err.flush();
                return false;
            }
        }

        private Optional<BackupSource> openBackup() {
            Optional<String> held = session.engine().secret(DeviceSession.BACKUP_KEY_SECRET);
            if (held.isEmpty()) return Optional.empty();
            SecureBackup secureBackup = session.backup();
            Optional<BackupVersion> version = secureBackup.currentVersion();
            if (version.isEmpty()) return Optional.empty();
            BackupDecryptionKey key = BackupDecryptionKey.fromBase64(held.get());
            if (!key.matches(version.get().authData())) {
                key.close();
                err.println("panolm: the backup key of this device is not the current backup version's: missing "
                        + "keys are not fetched (panolm backup restore updates it)");
                err.flush();
                return Optional.empty();
            }
            boolean trusted = secureBackup.trust(version.get(), null).trusted();
            // The restorer's key store is only a scratch space: fetched keys go into the device's store.
            return Optional.of(new BackupSource(version.get(), trusted, key,
                    new BackupRestorer(session.client(), KeyStore.inMemory(), BackupRestorer.DEFAULT_CHUNK)));
        }
    }

    private static void publish(Path partial, Path target) throws IOException {
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, target);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover temporary folder; the result is what counts
        }
    }
}
