package org.panolm.cli.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import org.panolm.backup.BackupDecryptionKey;
import org.panolm.backup.RestoreResult;
import org.panolm.backup.RoomKeysBody;
import org.panolm.cli.CliException;
import org.panolm.cli.Errors;
import org.panolm.cli.ExitCodes;
import org.panolm.cli.Json;
import org.panolm.cli.Progress;
import org.panolm.cli.history.HistoryPipeline;
import org.panolm.cli.history.MegolmHistory;
import org.panolm.cli.history.Summary;
import org.panolm.cli.io.CountingInputStream;
import org.panolm.cli.io.EventSource;
import org.panolm.cli.io.Leftovers;
import org.panolm.cli.keys.KeyRing;
import org.panolm.export.ExportedRoomKey;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code panolm demo}: the main job on synthetic data. Senders encrypt a room history with Megolm and share
 * every room key over Olm with the devices of the room; the receiving device decrypts its keys; every room
 * key is backed up for a fresh Security Key; the device is thrown away; the keys are restored from the
 * backup with the Security Key; the whole history is bulk-decrypted and every plaintext is checked.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs panolm's main job on built-in synthetic data, in well under a minute by default: "
                + "senders and Megolm sessions encrypt a room history and share each room key over Olm with the "
                + "room's devices, the receiving device decrypts its keys, every room key is backed up for a fresh "
                + "Security Key, the device is thrown away, the keys are restored from the backup with the "
                + "Security Key, the history is bulk-decrypted and every plaintext is checked.",
            "Prints a table of items, wall time and rate per stage. Exit status 0 when every message checked."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--rooms", paramLabel = "N", defaultValue = "20", description = "Rooms (default: ${DEFAULT-VALUE}).")
    int rooms;

    @Option(names = "--senders", paramLabel = "N", defaultValue = "10", description = "Sender devices (default: ${DEFAULT-VALUE}).")
    int senders;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "30000",
            description = "Messages in the history (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--devices", paramLabel = "N", defaultValue = "49",
            description = "Other devices in the rooms, which get every room key over Olm too (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for backup, restore and decryption (default: PANOLM_THREADS, else all processors).")
    Integer threads;

    @Option(names = "--rotate", paramLabel = "N", defaultValue = "100",
            description = "Messages per Megolm session before the sender rotates it (default: ${DEFAULT-VALUE}, as Element).")
    int rotate;

    @Override
    public Integer call() throws IOException {
        int nThreads = threads == null ? org.panolm.Parallelism.defaultThreads() : threads;
        check("--rooms", rooms, 1, 10_000);
        check("--senders", senders, 1, 10_000);
        check("--devices", devices, 0, 10_000);
        check("--messages", messages, 1, 2_000_000);
        check("--threads", nThreads, 1, 256);
        check("--rotate", rotate, 1, 1_000_000);
        // The demo writes hundreds of megabytes of history and keys to a private folder. A run stopped by a
        // signal removes it in a shutdown hook; one killed outright leaves it, for the next run to remove.
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Leftovers.removeDemoFolders(tmp);
        Path dir = Files.createDirectory(tmp.resolve("panolm-demo-" + Leftovers.ownerTag()),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Thread cleanup = new Thread(() -> removeQuietly(dir), "panolm-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return run(dir, nThreads);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException ignored) {
                // the JVM is stopping: the hook removes the folder
            }
            removeQuietly(dir);
        }
    }

    /** Removes the folder; files the run is still creating may race with this, so it tries a few times. */
    private static void removeQuietly(Path dir) {
        for (int attempt = 0; attempt < 5 && Files.exists(dir); attempt++) {
            try {
                Leftovers.deleteTree(dir);
            } catch (IOException e) {
                Thread.onSpinWait();
            }
        }
    }

    private int run(Path dir, int nThreads) throws IOException {
        System.err.printf(Locale.ROOT, "panolm demo: %,d rooms, %,d sender devices, %,d messages, %d threads%n",
                rooms, senders, messages, nThreads);
        StageTable table = new StageTable();
        Path history = dir.resolve("history.jsonl");
        Path backupFile = dir.resolve("room_keys.json");
        Path decrypted = dir.resolve("decrypted.jsonl");

        // 1. The senders encrypt the history and share each new session's key over Olm with the room's devices.
        long t = System.nanoTime();
        List<ExportedRoomKey> deviceKeys;
        try (DemoHistory senders = new DemoHistory(rooms, this.senders, rotate, devices)) {
            List<byte[]> lines = new ArrayList<>(messages);
            SplittableRandom random = new SplittableRandom(42);
            long[] done = {0};
            try (Progress progress = Progress.start("encrypt", "msg", 1, messages, () -> done[0])) {
                for (long n = 0; n < messages; n++) {
                    lines.add(senders.encryptedEvent(n, random));
                    done[0] = n + 1;
                    if ((n & 1023) == 0) {
                        progress.update();
                    }
                }
            }
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(history), 1 << 16)) {
                for (int i = lines.size() - 1; i >= 0; i--) { // newest first, as /messages pages arrive
                    out.write(lines.get(i));
                }
            }
            OlmRoomKeys olm = senders.olm();
            table.add("encrypt history (Megolm, senders)", messages, "msg", seconds(t) - olm.shareSeconds());
            table.add("share room keys over Olm (" + olm.devices() + " devices)", olm.messagesSent(), "msg",
                    olm.shareSeconds());
            // The receiving device decrypts its to-device messages and keeps every room key.
            t = System.nanoTime();
            deviceKeys = senders.keys();
            table.add("receive room keys over Olm", deviceKeys.size(), "keys", seconds(t));
        }
        System.err.printf(Locale.ROOT, "panolm demo: %,d Megolm sessions (rotated every %d messages)%n",
                deviceKeys.size(), rotate);

        // 2. Every room key is backed up for a fresh Security Key.
        String securityKey;
        t = System.nanoTime();
        try (BackupDecryptionKey key = BackupDecryptionKey.generate()) {
            securityKey = key.toRecoveryKey();
            List<RoomKeyRecord> records = new ArrayList<>(deviceKeys.size());
            for (ExportedRoomKey k : deviceKeys) {
                records.add(RoomKeyRecord.of(k, org.panolm.megolm.KeyProvenance.UNKNOWN, 0));
            }
            RoomKeysBody body = key.publicKey().encrypt(records, nThreads);
            Files.write(backupFile, body.toJson());
        }
        table.add("back up every room key", deviceKeys.size(), "keys", seconds(t));

        // 3. The device is thrown away: only the history, the server's backup and the Security Key remain.
        int keyCount = deviceKeys.size();
        deviceKeys = null;

        // 4. A new device restores the keys from the backup with the Security Key.
        t = System.nanoTime();
        RestoreResult restored;
        try (BackupDecryptionKey key = BackupDecryptionKey.fromRecoveryKey(securityKey)) {
            restored = key.decrypt(RoomKeysBody.fromJson(Files.readAllBytes(backupFile)), SessionFilter.all(), nThreads);
        }
        securityKey = null;
        table.add("restore keys with the Security Key", restored.keys().size(), "keys", seconds(t));
        if (!restored.failures().isEmpty() || restored.keys().size() != keyCount) {
            throw new CliException("restore failed: " + restored.keys().size() + " of " + keyCount + " keys restored"
                    + (restored.failures().isEmpty() ? "" : "; first failure: " + Errors.describe(restored.failures().get(0).error())));
        }

        // 5. Bulk decryption of the whole history, streamed from file to file.
        t = System.nanoTime();
        Summary summary;
        try (KeyRing ring = new KeyRing()) {
            for (RoomKeyRecord r : restored.keys()) {
                ring.add(r, "restored session " + r.sessionId());
            }
            restored = null;
            try (InputStream raw = Files.newInputStream(history);
                 OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(decrypted), 1 << 16)) {
                CountingInputStream counting = new CountingInputStream(raw);
                var source = EventSource.open(counting, history.getFileName().toString());
                try (var decryptor = MegolmHistory.decryptor(ring, nThreads, 4096);
                     Progress progress = Progress.start("decrypt", "MiB", 1 << 20, Files.size(history), counting::count)) {
                    summary = new HistoryPipeline(source.reader(), decryptor, 4096, progress::update).run(out);
                }
            }
        }
        table.add("bulk-decrypt the history", summary.events(), "msg", seconds(t));

        // 6. Every plaintext is checked against what the sender wrote.
        t = System.nanoTime();
        long checked = check(decrypted);
        table.add("check every plaintext", checked, "msg", seconds(t));

        table.print();
        System.err.printf(Locale.ROOT, "panolm demo: all %,d messages decrypted and checked%n", checked);
        return ExitCodes.OK;
    }

    /** Reads the decrypted history: each message exactly once, status ok, the body its sender wrote. */
    private long check(Path decrypted) throws IOException {
        BitSet seen = new BitSet(messages);
        long lines = 0;
        try (BufferedReader in = Files.newBufferedReader(decrypted, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lines++;
                JsonNode e = Json.MAPPER.readTree(line);
                String id = e.path("event_id").asText();
                if (!"ok".equals(e.at("/decryption/status").asText())) {
                    throw new CliException("check failed: " + id + " did not decrypt: " + e.at("/decryption/reason").asText());
                }
                long n = Long.parseLong(id.substring("$demo".length()));
                if (n < 0 || n >= messages || seen.get((int) n)) {
                    throw new CliException("check failed: " + id + " is unexpected or appears twice");
                }
                seen.set((int) n);
                if (!DemoHistory.body(n).equals(e.at("/content/body").asText())
                        || !"m.room.message".equals(e.path("type").asText())) {
                    throw new CliException("check failed: the plaintext of " + id + " is not what its sender wrote");
                }
            }
        }
        if (lines != messages || seen.cardinality() != messages) {
            throw new CliException("check failed: " + lines + " lines for " + messages + " messages");
        }
        return lines;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void check(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new CliException(option + " must be between " + min + " and " + max + ", not " + value);
        }
    }
}
