package org.panolm.benchmarks.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.panolm.benchmarks.support.Jvm;
import org.panolm.encoding.MatrixBase64;
import org.panolm.engine.store.SqliteCryptoStore;
import org.panolm.engine.store.StoreKey;
import org.panolm.export.ExportedRoomKey;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.megolm.KeyProvenance;

/**
 * The engine's encrypted SQLite store holding {@code keys} room keys (inserted once per trial, in transactions of
 * 10,000): inserting one more key in its own transaction (encrypted, its lookup keys HMACed, committed to the WAL),
 * inserting keys in transactions of 1,000 (reported per key), and looking one key up by room and session
 * (decrypted). Keys are well-formed Megolm exports with random ratchets, made without native calls.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE, "-Xmx512m"})
public class StoreRoomKeyBench {
    private static final int BATCH = 1_000;

    @Param({"1000000"})
    public long keys;

    private Path dir;
    private SqliteCryptoStore store;
    private long next;
    private final SplittableRandom pick = new SplittableRandom(7);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("panolm-store-bench");
        store = SqliteCryptoStore.open(dir.resolve("keys.db"), StoreKey.of(new byte[32]));
        for (long done = 0; done < keys; done += 10_000) {
            long from = done;
            store.transaction(tx -> {
                for (long n = from; n < Math.min(keys, from + 10_000); n++) tx.addRoomKey(roomKey(n));
                return null;
            });
        }
        next = keys;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Benchmark
    public Object insertOne() {
        RoomKeyRecord key = roomKey(next++);
        return store.transaction(tx -> tx.addRoomKey(key));
    }

    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(BATCH)
    public Object insertInTransactionsOf1000() {
        long from = next;
        next += BATCH;
        return store.transaction(tx -> {
            Object last = null;
            for (long n = from; n < from + BATCH; n++) last = tx.addRoomKey(roomKey(n));
            return last;
        });
    }

    @Benchmark
    public List<RoomKeyRecord> lookup() {
        RoomKeyRecord wanted = roomKey(pick.nextLong(keys));
        List<RoomKeyRecord> found = store.transaction(tx -> tx.roomKeys(wanted.roomId(), wanted.sessionId()));
        if (found.isEmpty()) throw new IllegalStateException("a stored key was not found");
        return found;
    }

    /** The {@code n}-th key of a deterministic sequence (the same {@code n}, the same key). */
    static RoomKeyRecord roomKey(long n) {
        SplittableRandom random = new SplittableRandom(n * 1_000_003L);
        ByteBuffer b = ByteBuffer.allocate(165);
        b.put((byte) 1).putInt(0);
        for (int i = 0; i < 160; i++) b.put((byte) random.nextInt(256));
        byte[] bytes = b.array();
        var key = new ExportedRoomKey(ExportedRoomKey.MEGOLM_V1, "!room" + (n % 997) + ":example.org", "senderkey",
                MatrixBase64.encode(Arrays.copyOfRange(bytes, 133, 165)), MatrixBase64.encode(bytes),
                Map.of("ed25519", "claimed"), List.of(), false);
        return RoomKeyRecord.of(key, new KeyProvenance.ReceivedOverOlm("@a:example.org", "DEV", "senderkey",
                KeyProvenance.DeviceCheck.KEYS_MATCH), 0);
    }
}
