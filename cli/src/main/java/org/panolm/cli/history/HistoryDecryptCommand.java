package org.panolm.cli.history;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.panolm.cli.CliException;
import org.panolm.cli.ExitCodes;
import org.panolm.cli.StandardStreams;
import org.panolm.cli.Progress;
import org.panolm.cli.Terminal;
import org.panolm.cli.io.CountingInputStream;
import org.panolm.cli.io.EventReader;
import org.panolm.cli.io.EventSource;
import org.panolm.cli.io.JsonLimits;
import org.panolm.cli.io.OutputTarget;
import org.panolm.cli.keys.KeyLoader;
import org.panolm.cli.keys.KeyRing;
import org.panolm.cli.keys.KeySecretOptions;
import org.panolm.cli.online.DeviceStoreKeys;
import org.panolm.cli.online.DeviceOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code panolm history decrypt}: an encrypted room history plus key files in, readable history out. */
@Command(name = "decrypt", mixinStandardHelpOptions = true,
        description = {
            "Decrypts a room history with room keys. Input: JSON Lines of events, a JSON array of events or a "
                    + "/messages response (detected automatically, streamed). Output: JSON Lines, one line per "
                    + "input event in input order, each with a \"decryption\" object that panolm alone writes (one "
                    + "in the input is replaced): its status is ok, not_encrypted or a code such as UNKNOWN_SESSION, "
                    + "BAD_MAC, REPLAYED_INDEX, BAD_EVENT. Reading, decryption and writing overlap, each on a third of "
                    + "--batch-size events: memory is bounded by --batch-size events of at most --max-event-size bytes.",
            "Exit status: 0 every encrypted event decrypted, 2 some failed (the output is still complete), "
                    + "1 fatal error (then no output file is left)."})
public final class HistoryDecryptCommand implements Callable<Integer> {
    @Option(names = "--keys", paramLabel = "FILE",
            description = "Room keys: an export file (needs its passphrase), a JSON array of exported keys, or a "
                    + "/room_keys/keys backup body (needs the Security Key, or a Security Phrase). Repeatable; "
                    + "with --store, added to the store's keys for this run only.")
    List<Path> keyFiles = new java.util.ArrayList<>();

    @Mixin
    DeviceOptions device;

    @Option(names = "--in", paramLabel = "FILE|-", defaultValue = "-", description = "The history (default: standard input).")
    String in;

    @Option(names = "--out", paramLabel = "FILE|-", defaultValue = "-",
            description = "Where to write the decrypted history (default: standard output). A file is written "
                    + "under a temporary name and renamed when complete.")
    String out;

    @Option(names = "--threads", paramLabel = "N", description = "Native decryption threads (default: PANOLM_THREADS, else all processors).")
    Integer threads;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "4096",
            description = "Events held in memory at once (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-event-size", paramLabel = "BYTES", defaultValue = "" + JsonLimits.DEFAULT_MAX_EVENT_BYTES,
            description = "The largest event accepted; a larger one is a BAD_EVENT line and the rest go on "
                    + "(default: ${DEFAULT-VALUE}, 1 MiB).")
    int maxEventSize;

    @Mixin
    KeySecretOptions secrets;

    @Override
    public Integer call() throws IOException {
        int nThreads = threads == null ? org.panolm.Parallelism.defaultThreads() : threads;
        if (nThreads < 1 || nThreads > 256) {
            throw new CliException("--threads must be between 1 and 256, not " + nThreads);
        }
        if (batchSize < 1 || batchSize > 1_000_000) {
            throw new CliException("--batch-size must be between 1 and 1000000, not " + batchSize);
        }
        if (maxEventSize < 1024 || maxEventSize > 64 << 20) {
            throw new CliException("--max-event-size must be between 1024 and " + (64 << 20) + ", not " + maxEventSize);
        }
        JsonLimits limits = new JsonLimits(maxEventSize, JsonLimits.DEFAULT_MAX_DEPTH);
        OutputTarget.checkWritable(out, "--out");
        // The input is opened before the keys are unlocked, so a mistyped path fails before any prompt.
        String name = "-".equals(in) ? "standard input" : in;
        long total = -1;
        InputStream raw;
        if ("-".equals(in)) {
            raw = StandardStreams.input("--in");
        } else {
            Path p = Path.of(in);
            try {
                raw = Files.newInputStream(p);
                total = Files.size(p);
            } catch (IOException e) {
                throw new CliException("cannot read --in " + in + ": " + KeyLoader.describe(e));
            }
        }
        KeySecretOptions unlock = secrets;
        try (KeyRing keys = new KeyRing(); unlock; raw) {
            if (keyFiles.isEmpty() && !device.named()) {
                throw new CliException("give the room keys: --keys FILE (repeatable) or --store DIR (a device's store)");
            }
            if (device.named()) {
                try (DeviceStoreKeys stored = DeviceStoreKeys.open(device)) {
                    long withheld = stored.loadInto(keys);
                    if (withheld > 0) {
                        System.err.println("panolm: " + withheld + " session(s) of the store are under the "
                                + "do-not-store flag: their events are withheld, never decrypted");
                    }
                }
            }
            KeyLoader.load(keyFiles, "--keys", unlock, java.util.Set.of(), keys);
            KeyLoader.reportRejected(keys, System.err);
            KeyLoader.reportConflicts(keys, System.err);
            if (keys.size() == 0) {
                throw new CliException("no usable room key in " + (device.named() ? "the store" + (keyFiles.isEmpty() ? "" : " or ") : "")
                        + (keyFiles.isEmpty() ? "" : keyFiles));
            }
            CountingInputStream counting = new CountingInputStream(raw);
            EventSource.Opened source = EventSource.open(counting, name, limits);
            long decryptStart = System.nanoTime();
            Summary summary;
            try (EventReader reader = source.reader();
                 OutputTarget target = OutputTarget.open(out);
                 MegolmBatchDecryptor decryptor = new MegolmBatchDecryptor(keys, nThreads, batchSize);
                 Progress progress = Progress.start("decrypt", "MiB", 1 << 20, total, counting::count)) {
                summary = new HistoryPipeline(reader, decryptor, batchSize, progress::update).run(target.stream());
                target.commit();
            }
            double seconds = (System.nanoTime() - decryptStart) / 1e9;
            System.err.println("panolm: " + summary.line(seconds));
            if (summary.events() > 0 && summary.decrypted() == 0
                    && summary.failedByCode().getOrDefault("UNKNOWN_SESSION", 0L) > 0) {
                System.err.println("panolm: no event matched a loaded key: the " + keys.size()
                        + " keys are for " + describeRooms(keys) + "; is this the right key file?");
            }
            return summary.failed() == 0 ? ExitCodes.OK : ExitCodes.SOME_FAILED;
        }
    }

    private static String describeRooms(KeyRing keys) {
        var rooms = keys.rooms().stream().map(Terminal::printable).toList();
        if (rooms.size() <= 3) {
            return "room" + (rooms.size() == 1 ? " " : "s ") + String.join(", ", rooms);
        }
        return rooms.size() + " rooms (" + String.join(", ", rooms.stream().limit(3).toList()) + ", …)";
    }
}
