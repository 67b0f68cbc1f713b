package org.panolm.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed with SIGKILL in the middle of its writes loses nothing it committed and leaves nothing half
 * written: on reopen every committed batch is there whole, every row decrypts, and no batch is partial.
 */
class StoreCrashTest {
    @TempDir
    Path dir;

    @Test
    void aKilledWriterLosesNoCommittedBatchAndLeavesNoHalfBatch() throws Exception {
        Path file = dir.resolve("crash.db");
        for (int round = 0; round < 3; round++) {
            Process child = ChildJvm.start(StoreChild.class, "write", file.toString());
            long lastCommitted = -1;
            try (var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                int wanted = 5 + round * 3;
                for (int seen = 0; seen < wanted; seen++) {
                    String line = out.readLine();
                    if (line == null) throw new AssertionError("the writer ended early");
                    lastCommitted = Long.parseLong(line);
                }
                child.destroyForcibly(); // SIGKILL, in the middle of a later batch
                child.waitFor();
            }
            try (var store = SqliteCryptoStore.open(file, StoreKey.of(key()))) {
                long last = lastCommitted;
                store.transaction(tx -> {
                    long batches = Long.parseLong(new String(tx.value("last_batch").orElseThrow()));
                    assertTrue(batches >= last, "batch " + last + " was reported committed; the store has " + batches);
                    long count = tx.roomKeyCount();
                    // Each round goes on after the last stored batch.
                    assertEquals((batches + 1) * 100, count, "whole batches only");
                    Set<String> ids = new HashSet<>();
                    tx.forEachRoomKey(k -> ids.add(k.sessionId()));
                    assertEquals(count, ids.size());
                    for (long b = 0; b <= last; b++) {
                        var expected = TestKeys.roomKey(9, b * 100 + 99);
                        assertEquals(1, tx.roomKeys(expected.roomId(), expected.sessionId()).size());
                    }
                    return null;
                });
            }
        }
    }

    private static byte[] key() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) key[i] = (byte) (i * 7 + 1);
        return key;
    }
}
