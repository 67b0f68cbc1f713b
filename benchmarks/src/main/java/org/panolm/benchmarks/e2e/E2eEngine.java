package org.panolm.benchmarks.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.panolm.backup.BackupDecryptionKey;
import org.panolm.backup.RestoreResult;
import org.panolm.backup.RoomKeysBody;
import org.panolm.keystore.SessionFilter;
import org.panolm.megolm.BatchResults;
import org.panolm.megolm.BulkDecryptor;
import org.panolm.megolm.ExportedSessionKey;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.PreparedBatch;

/**
 * The engine alone over the end-to-end benchmark's data, what the JMH rows measure: the native batch
 * decryption of the history in batches of the command's size, and the restore of the parsed backup body,
 * each timed on its second run (the first warms the JIT); parsing and preparing are not timed. Prints
 * {@code history-S SECONDS} and {@code backup SECONDS} lines.
 */
public final class E2eEngine {
    private E2eEngine() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param args the data folder, then the batch size the command uses */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int batchSize = Integer.parseInt(args[1]);
        for (int sessions : new int[] {50, 1}) {
            System.out.printf(Locale.ROOT, "history-%d %.4f%n", sessions, history(dir, sessions, batchSize));
        }
        System.out.printf(Locale.ROOT, "backup %.4f%n", backup(dir));
    }

    private static double history(Path dir, int sessions, int batchSize) throws IOException {
        Map<String, MegolmInboundSession> byId = new HashMap<>();
        List<PreparedBatch> batches = new ArrayList<>();
        try {
            for (JsonNode key : JSON.readTree(dir.resolve("keys-" + sessions + ".json").toFile())) {
                byId.put(key.get("session_id").asText(),
                        MegolmInboundSession.importSession(ExportedSessionKey.fromBase64(key.get("session_key").asText())));
            }
            List<String> lines = Files.readAllLines(dir.resolve("history-" + sessions + ".jsonl"));
            PreparedBatch batch = null;
            for (String line : lines) {
                if (batch == null || batch.size() == batchSize) {
                    batch = PreparedBatch.create(batchSize);
                    batches.add(batch);
                }
                batch.addEvent(line, null, byId::get);
            }
            BulkDecryptor bulk = new BulkDecryptor();
            double seconds = 0;
            for (int run = 0; run < 2; run++) {
                long start = System.nanoTime();
                long ok = 0;
                for (PreparedBatch b : batches) {
                    BatchResults r = bulk.decrypt(b);
                    for (int i = 0; i < b.size(); i++) if (r.isOk(i)) ok++;
                }
                seconds = (System.nanoTime() - start) / 1e9;
                if (ok != lines.size()) throw new IllegalStateException("decrypted " + ok + " of " + lines.size());
            }
            return seconds;
        } finally {
            batches.forEach(PreparedBatch::close);
            byId.values().forEach(MegolmInboundSession::close);
        }
    }

    private static double backup(Path dir) throws IOException {
        RoomKeysBody body = RoomKeysBody.fromJson(Files.readAllBytes(dir.resolve("backup.json")));
        try (BackupDecryptionKey key = BackupDecryptionKey.fromRecoveryKey(
                Files.readString(dir.resolve("backup.recovery-key")).strip())) {
            double seconds = 0;
            for (int run = 0; run < 2; run++) {
                long start = System.nanoTime();
                RestoreResult r = key.decrypt(body, SessionFilter.all(), 0);
                seconds = (System.nanoTime() - start) / 1e9;
                if (!r.failures().isEmpty()) throw new IllegalStateException(r.failures().size() + " entries failed");
            }
            return seconds;
        }
    }
}
