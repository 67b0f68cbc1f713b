package org.panolm.cli.render;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import org.panolm.cli.CliException;
import org.panolm.cli.ExitCodes;
import org.panolm.cli.Json;
import org.panolm.cli.StandardStreams;
import org.panolm.cli.Terminal;
import org.panolm.cli.keys.KeyLoader;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code panolm history render}: decrypted history in, one readable transcript per room out. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {
            "Turns decrypted history (the JSON Lines of panolm history decrypt, or the part files of the Spark "
                    + "job's jsonl output) into one transcript per room, in time order, with sender, time, body, "
                    + "replies quoted, edits shown in place of the text they replace, attachments listed, and each "
                    + "event's decryption status and trust marked as Element marks them.",
            "Memory is bounded: lines are first copied into one spill file per room (at most --max-open-files "
                    + "open), then each room is sorted on disk in runs of --run-size events. The output folder "
                    + "appears, complete, only at the end."})
public final class HistoryRenderCommand implements Callable<Integer> {
    @Option(names = "--in", paramLabel = "FILE|DIR|-", defaultValue = "-",
            description = "Decrypted JSON Lines: a file, a folder of them (files starting with _ or . are skipped), "
                    + "or - for standard input (default). Repeatable.")
    List<String> in;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "The folder to create (it must not exist, or be empty): one file per room and an index.")
    Path out;

    @Option(names = "--format", paramLabel = "html|text", defaultValue = "html",
            description = "html (default): self-contained pages; text: plain text.")
    String format;

    @Option(names = "--max-open-files", paramLabel = "N", defaultValue = "64",
            description = "Room spill files open at once (default: ${DEFAULT-VALUE}).")
    int maxOpenFiles;

    @Option(names = "--run-size", paramLabel = "N", defaultValue = "50000",
            description = "Events sorted in memory at once (default: ${DEFAULT-VALUE}).")
    int runSize;

    @Option(names = "--max-relations", paramLabel = "N", defaultValue = "200000",
            description = "Replied-to and edited events held per room to resolve replies and edits; past it they "
                    + "are named, not resolved (default: ${DEFAULT-VALUE}).")
    int maxRelations;

    @Option(names = "--max-line-size", paramLabel = "BYTES", defaultValue = "" + (4 << 20),
            description = "The longest input line accepted (default: ${DEFAULT-VALUE}).")
    int maxLineSize;

    /** Sorted runs hold at most this many characters of events, whatever --run-size says. */
    private static final long RUN_CHARS = 64L << 20;

    @Override
    public Integer call() throws IOException {
        TranscriptFormat fmt = TranscriptFormat.named(format);
        check(maxOpenFiles, 1, 4096, "--max-open-files");
        check(runSize, 100, 10_000_000, "--run-size");
        check(maxRelations, 0, 100_000_000, "--max-relations");
        check(maxLineSize, 1024, 256 << 20, "--max-line-size");
        Path target = out.toAbsolutePath();
        checkOutput(target);
        List<Source> sources = sources();
        Path partial = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".partial-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        boolean done = false;
        try {
            Path spillDir = Files.createDirectory(partial.resolve(".spill"));
            Report report = render(sources, spillDir, partial, fmt);
            deleteTree(spillDir);
            publish(partial, target);
            done = true;
            System.err.println("panolm: " + report.line(target));
            return ExitCodes.OK;
        } finally {
            if (!done) {
                deleteTree(partial);
            }
        }
    }

    private static void check(int value, int min, int max, String option) {
        if (value < min || value > max) {
            throw new CliException(option + " must be between " + min + " and " + max + ", not " + value);
        }
    }

    private static void checkOutput(Path target) throws IOException {
        if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
            throw new CliException("cannot write --out " + target + ": its folder does not exist");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new CliException("cannot write --out " + target + ": something other than a folder is there");
            }
            try (Stream<Path> s = Files.list(target)) {
                if (s.findAny().isPresent()) {
                    throw new CliException("cannot write --out " + target + ": the folder is not empty");
                }
            }
        }
    }

    /** One input: a name for messages and a way to open it. */
    private record Source(String name, Path path) {
        InputStream open() throws IOException {
            return path == null ? StandardStreams.input("--in") : Files.newInputStream(path);
        }
    }

    private List<Source> sources() {
        List<Source> sources = new ArrayList<>();
        for (String s : in) {
            if ("-".equals(s)) {
                sources.add(new Source("standard input", null));
                continue;
            }
            Path p = Path.of(s);
            if (Files.isDirectory(p)) {
                try (DirectoryStream<Path> dir = Files.newDirectoryStream(p)) {
                    List<Path> files = new ArrayList<>();
                    for (Path f : dir) {
                        String n = f.getFileName().toString();
                        if (!n.startsWith("_") && !n.startsWith(".") && !n.endsWith(".crc") && Files.isRegularFile(f)) {
                            files.add(f);
                        }
                    }
                    files.sort(Comparator.comparing(Path::toString));
                    files.forEach(f -> sources.add(new Source(f.toString(), f)));
                } catch (IOException e) {
                    throw new CliException("cannot read --in " + s + ": " + KeyLoader.describe(e));
                }
            } else if (Files.isRegularFile(p)) {
                sources.add(new Source(s, p));
            } else {
                throw new CliException("cannot read --in " + s + ": no such file or folder");
            }
        }
        return sources;
    }

    /** What a run did, for the summary line. */
    private record Report(long events, int rooms, long hiddenEdits, long unresolved) {
        String line(Path out) {
            return String.format(Locale.ROOT, "rendered %,d events of %,d rooms into %s (%,d edits shown in place of "
                    + "the text they replace%s)", events, rooms, Terminal.printable(out.toString()), hiddenEdits,
                    unresolved == 0 ? "" : String.format(Locale.ROOT, "; %,d replies or edits past --max-relations left "
                            + "unresolved", unresolved));
        }
    }

    private Report render(List<Source> sources, Path spillDir, Path outDir, TranscriptFormat fmt) throws IOException {
        List<RoomSpill.Room> rooms;
        long seq = 0;
        try (RoomSpill spill = new RoomSpill(spillDir, maxOpenFiles)) {
            for (Source source : sources) {
                InputStream raw;
                try {
                    raw = source.open();
                } catch (IOException e) {
                    throw new CliException("cannot read --in " + source.name() + ": " + KeyLoader.describe(e));
                }
                try (LineReader lines = new LineReader(raw, source.name(), maxLineSize)) {
                    String line;
                    while ((line = lines.next()) != null) {
                        if (line.isBlank()) {
                            continue;
                        }
                        JsonNode event = parse(line, lines);
                        JsonNode ts = event.path("origin_server_ts");
                        long time = ts.isIntegralNumber() && ts.canConvertToLong() ? ts.longValue() : Long.MIN_VALUE;
                        JsonNode room = event.path("room_id");
                        spill.add(room.isTextual() ? room.textValue() : "", time, seq++, Json.MAPPER.writeValueAsString(event));
                    }
                } catch (IOException e) {
                    throw new CliException("cannot read --in " + source.name() + ": " + KeyLoader.describe(e));
                }
            }
            rooms = spill.finish();
        }
        RoomTimeline timeline = new RoomTimeline(spillDir, runSize, RUN_CHARS);
        List<TranscriptFormat.Room> index = new ArrayList<>();
        long events = 0;
        long hidden = 0;
        long unresolved = 0;
        for (RoomSpill.Room room : rooms) {
            Relations relations = Relations.of(room.file(), maxRelations);
            unresolved += relations.overflow();
            String file = fileName(room.roomId()) + "." + fmt.extension();
            Counts counts = new Counts();
            try (Writer w = new BufferedWriter(Files.newBufferedWriter(outDir.resolve(file), StandardCharsets.UTF_8), 1 << 16)) {
                fmt.begin(w, room.roomId().isEmpty() ? "(no room id)" : room.roomId(), room.events());
                timeline.sorted(room.file(), line -> {
                    TranscriptEvent e = Relations.parse(line);
                    counts.count(e);
                    Entry entry = Entry.of(e, relations);
                    if (entry == null) {
                        counts.hidden++;
                    } else {
                        fmt.entry(w, entry);
                    }
                });
                fmt.end(w, counts.line());
            }
            Files.delete(room.file());
            if (counts.events != room.events()) {
                throw new IllegalStateException("room " + index.size() + ": spilled " + room.events() + " events, rendered "
                        + counts.events);
            }
            events += counts.events;
            hidden += counts.hidden;
            index.add(new TranscriptFormat.Room(room.roomId().isEmpty() ? "(no room id)" : room.roomId(), file, counts.line()));
        }
        try (Writer w = Files.newBufferedWriter(outDir.resolve("index." + fmt.extension()), StandardCharsets.UTF_8)) {
            fmt.index(w, index);
        }
        return new Report(events, rooms.size(), hidden, unresolved);
    }

    private static JsonNode parse(String line, LineReader lines) {
        JsonNode event;
        try {
            event = Json.STRICT_READER.readTree(line);
        } catch (JsonProcessingException e) {
            // Never quote the input: the line may be a decrypted message.
            throw new CliException(lines.name() + " line " + lines.lineNumber() + ": not valid JSON");
        }
        if (event == null || !event.isObject()) {
            throw new CliException(lines.name() + " line " + lines.lineNumber() + ": not a JSON object");
        }
        return event;
    }

    /** Per-room counts for the footer and the index. */
    private static final class Counts {
        long events;
        long decrypted;
        long failed;
        long notEncrypted;
        long withheld;
        long other;
        long hidden;

        void count(TranscriptEvent e) {
            events++;
            switch (e.event().path("decryption").path("status").asText("")) {
                case "ok" -> decrypted++;
                case "not_encrypted" -> notEncrypted++;
                case org.panolm.cli.history.Outcome.WithheldDoNotStore.STATUS -> withheld++;
                case "" -> other++;
                default -> failed++;
            }
        }

        String line() {
            return String.format(Locale.ROOT, "%,d events: %,d decrypted, %,d unable to decrypt, %,d not encrypted%s%s",
                    events, decrypted, failed, notEncrypted,
                    withheld == 0 ? "" : String.format(Locale.ROOT, ", %,d withheld by do-not-store", withheld),
                    other == 0 ? "" : String.format(Locale.ROOT, ", %,d without a decryption status", other));
        }
    }

    /**
     * A file name for a room: the room id's letters, digits, dots and dashes (at most 48 of them), then a
     * hash of the whole id so that two rooms never share a file.
     *
     * @param roomId the room id, "" for lines without one
     * @return the file name without its extension
     */
    public static String fileName(String roomId) {
        StringBuilder slug = new StringBuilder();
        for (int i = 0; i < roomId.length() && slug.length() < 48; i++) {
            char c = roomId.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
                slug.append(c);
            } else if (c == ':' || c == '_') {
                slug.append('_');
            }
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(roomId.getBytes(StandardCharsets.UTF_8));
            String hash = HexFormat.of().formatHex(h, 0, 6);
            return (slug.isEmpty() ? "room" : "room-" + slug) + "-" + hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    private static void publish(Path partial, Path target) throws IOException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(target); // checked empty before any work
        }
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, target);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover partial folder is named as such
                }
            });
        } catch (IOException ignored) {
            // best effort, as above
        }
    }
}
