package org.panolm.cli.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.internal.json.TreeBatches;
import org.panolm.backup.BackupDecryptionKey;
import org.panolm.backup.RoomKeysBody;
import org.panolm.cli.CliException;
import org.panolm.cli.ExitCodes;
import org.panolm.cli.Json;
import org.panolm.cli.demo.StageTable;
import org.panolm.export.ExportedRoomKey;
import org.panolm.export.RoomKeyExport;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;
import org.panolm.megolm.BatchResults;
import org.panolm.megolm.BulkDecryptor;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.MegolmOutboundSession;
import org.panolm.megolm.PreparedBatch;
import org.panolm.recovery.Passphrase;
import org.panolm.recovery.PassphraseInfo;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code panolm bench}: a quick throughput check of the main operations on this machine, about a minute in
 * all. Set-up is not timed; each operation repeats for {@code --seconds} and reports its rate. For careful
 * measurements use the JMH suite in {@code benchmarks/}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "A one-minute throughput check of the main operations: Megolm encryption and bulk decryption "
                + "(one thread and all), key backup encryption and restore, m.pbkdf2 at 500,000 iterations, "
                + "export-file writing and reading. Set-up is excluded from the times.")
public final class BenchCommand implements Callable<Integer> {
    /** Well-formed stand-ins for the sender's keys (an export file needs 32-byte keys). */
    private static final String SENDER_KEY = "3C5BFWi2Y8MaVvjM8M22DBmh24PmgR0nPvJOIArzgyI";
    private static final String SENDER_ED25519 = "JGLn/yafz74HRzd0MXvLmPCa4ZRgB5+DuvOXiVxDK9c";

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "8",
            description = "Time per operation (default: ${DEFAULT-VALUE}; seven operations).")
    double seconds;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the multi-threaded rows (default: PANOLM_THREADS, else all processors).")
    Integer threads;

    private static final int SESSIONS = 50;
    private static final int BATCH = 4000;
    private static final int KEYS = 1000;

    @Override
    public Integer call() throws IOException {
        int nThreads = threads == null ? org.panolm.Parallelism.defaultThreads() : threads;
        if (seconds <= 0 || seconds > 600) {
            throw new CliException("--seconds must be above 0 and at most 600");
        }
        if (nThreads < 1 || nThreads > 256) {
            throw new CliException("--threads must be between 1 and 256, not " + nThreads);
        }
        System.err.printf(Locale.ROOT, "panolm bench: %.0f s per operation, %d threads for the parallel rows%n",
                seconds, nThreads);
        StageTable table = new StageTable();
        byte[] plaintext = plaintext();

        List<MegolmOutboundSession> outbound = new ArrayList<>();
        List<MegolmInboundSession> inbound = new ArrayList<>();
        List<ExportedRoomKey> keys = new ArrayList<>();
        try {
            for (int s = 0; s < SESSIONS; s++) {
                MegolmOutboundSession o = MegolmOutboundSession.create();
                outbound.add(o);
                MegolmInboundSession i = MegolmInboundSession.create(o.sessionKey());
                inbound.add(i);
            }
            // Megolm encryption, one thread, 256-byte plaintexts.
            int[] next = {0};
            run(table, "Megolm encrypt (1 thread)", "msg", () -> {
                outbound.get(next[0]++ % SESSIONS).encryptToAscii(plaintext);
                return 1;
            });

            // Bulk decryption of one prepared batch over many sessions, 1 thread and all.
            try (PreparedBatch batch = PreparedBatch.create(BATCH)) {
                Map<String, MegolmInboundSession> byId = new java.util.HashMap<>();
                inbound.forEach(i -> byId.put(i.sessionId(), i));
                for (int m = 0; m < BATCH; m++) {
                    MegolmOutboundSession o = outbound.get(m % SESSIONS);
                    ObjectNode event = Json.MAPPER.createObjectNode();
                    event.put("type", "m.room.encrypted").put("event_id", "$bench" + m).put("room_id", ROOM);
                    event.putObject("content").put("algorithm", "m.megolm.v1.aes-sha2")
                            .put("ciphertext", o.encrypt(plaintext)).put("session_id", o.sessionId());
                    TreeBatches.addEvent(batch, event, null, byId::get);
                }
                for (int t : nThreads == 1 ? new int[] {1} : new int[] {1, nThreads}) {
                    BulkDecryptor bulk = new BulkDecryptor(t);
                    run(table, "Megolm bulk decrypt (" + t + " thread" + (t == 1 ? ")" : "s)"), "msg", () -> {
                        BatchResults r = bulk.decrypt(batch);
                        if (!r.isOk(0) || !r.isOk(BATCH - 1)) {
                            throw new CliException("bench: decryption failed: " + r.error(0));
                        }
                        return BATCH;
                    });
                }
            }

            // Key backup: encrypt and restore KEYS sessions.
            for (int k = 0; k < KEYS; k++) {
                MegolmInboundSession i = inbound.get(k % SESSIONS);
                keys.add(new ExportedRoomKey(ExportedRoomKey.MEGOLM_V1, "!bench" + (k % 10) + ":example.org",
                        SENDER_KEY, i.sessionId(), i.export().toBase64(), Map.of("ed25519", SENDER_ED25519), List.of(),
                        null));
            }
            List<RoomKeyRecord> records = new ArrayList<>();
            for (int k = 0; k < KEYS; k++) {
                ExportedRoomKey key = keys.get(k);
                // Distinct (room, session) pairs: the body is a map by room and session.
                records.add(new RoomKeyRecord(key.withRoomAndSession("!bench" + k + ":example.org", key.sessionId()),
                        0, org.panolm.megolm.KeyProvenance.UNKNOWN, 0));
            }
            try (BackupDecryptionKey backup = BackupDecryptionKey.generate()) {
                RoomKeysBody[] body = {null};
                run(table, "backup encrypt (" + nThreads + " threads)", "keys", () -> {
                    body[0] = backup.publicKey().encrypt(records, nThreads);
                    return KEYS;
                });
                run(table, "backup restore (" + nThreads + " threads)", "keys", () -> {
                    int n = backup.decrypt(body[0], SessionFilter.all(), nThreads).keys().size();
                    if (n != KEYS) {
                        throw new CliException("bench: restored " + n + " of " + KEYS);
                    }
                    return KEYS;
                });
            }

            // m.pbkdf2 as Element creates it.
            try (Passphrase phrase = Passphrase.of("correct horse battery staple")) {
                PassphraseInfo info = new PassphraseInfo(PassphraseInfo.PBKDF2, "benchsaltbenchsaltbenchsaltbench",
                        PassphraseInfo.DEFAULT_ITERATIONS, null);
                run(table, "m.pbkdf2, 500,000 iterations", "keys", () -> {
                    java.util.Arrays.fill(info.deriveKey(phrase), (byte) 0);
                    return 1;
                });
                // Export files: write and read back KEYS keys (1,000 rounds, so the body dominates).
                run(table, "export file write + read (1,000 keys)", "keys", () -> {
                    try {
                        ByteArrayOutputStream file = new ByteArrayOutputStream();
                        RoomKeyExport.export(keys, SessionFilter.all(), phrase, 1000, file);
                        long[] n = {0};
                        RoomKeyExport.importStream(new ByteArrayInputStream(file.toByteArray()), phrase,
                                SessionFilter.all(), k -> n[0]++);
                        if (n[0] != KEYS) {
                            throw new CliException("bench: read back " + n[0] + " of " + KEYS + " keys");
                        }
                        return KEYS;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
        } finally {
            outbound.forEach(MegolmOutboundSession::close);
            inbound.forEach(MegolmInboundSession::close);
        }
        table.print();
        return ExitCodes.OK;
    }

    /** Repeats {@code op} (which returns how many items it did) for the configured time; one row. */
    private void run(StageTable table, String name, String unit, LongSupplier op) {
        op.getAsLong(); // once untimed: first-use costs are set-up
        long items = 0;
        long start = System.nanoTime();
        long budget = (long) (seconds * 1e9);
        long elapsed;
        do {
            items += op.getAsLong();
            elapsed = System.nanoTime() - start;
        } while (elapsed < budget);
        table.add(name, items, unit, elapsed / 1e9);
        System.err.printf(Locale.ROOT, "panolm bench: %s done%n", name);
    }

    /** A room event of exactly 256 bytes, as the benchmarks measure, naming the room the events claim. */
    private static byte[] plaintext() {
        String head = "{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"";
        String tail = "\"},\"room_id\":\"" + ROOM + "\"}";
        return (head + "x".repeat(256 - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }

    private static final String ROOM = "!bench:example.org";
}
