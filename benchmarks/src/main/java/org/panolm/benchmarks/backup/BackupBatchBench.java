package org.panolm.benchmarks.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.panolm.backup.BackupDecryptionKey;
import org.panolm.backup.BackupPublicKey;
import org.panolm.backup.RestoreResult;
import org.panolm.backup.RoomKeysBody;
import org.panolm.benchmarks.support.Jvm;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;

/**
 * Backing up {@value #KEYS} keys at once (records to the {@code PUT /room_keys/keys} body) and restoring
 * them (the {@code GET} body to records), reported per key. panolm does each in one native call over
 * {@code threads} threads; libolm, having no batch API, is called once per key with the keys split over
 * as many Java threads, one libolm object per thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(BackupBatchBench.KEYS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE})
public class BackupBatchBench {
    static final int KEYS = 1024;

    @Param({"PANOLM", "LIBOLM"})
    public BackupCodecs impl;

    @Param({"1", "2"})
    public int threads;

    private BackupCorpus corpus;
    private List<RoomKeyRecord> records;
    private RoomKeysBody body;
    private BackupPublicKey publicKey;
    private BackupDecryptionKey decryptionKey;
    private final List<BackupCodec> codecs = new ArrayList<>();
    private ExecutorService pool;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        corpus = new BackupCorpus(KEYS);
        records = corpus.records();
        body = corpus.body();
        publicKey = BackupPublicKey.fromBase64(corpus.publicKey);
        decryptionKey = BackupDecryptionKey.fromBytes(corpus.privateKey);
        if (impl != BackupCodecs.PANOLM) {
            for (int t = 0; t < threads; t++) codecs.add(impl.open(corpus));
            pool = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) pool.shutdownNow();
        codecs.forEach(BackupCodec::close);
        decryptionKey.close();
    }

    @Benchmark
    public Object encrypt() throws Exception {
        if (impl == BackupCodecs.PANOLM) return publicKey.encrypt(records, threads);
        return split((codec, i) -> codec.encrypt(corpus.keys.get(i)).ciphertext().length());
    }

    @Benchmark
    public Object decrypt() throws Exception {
        if (impl == BackupCodecs.PANOLM) {
            RestoreResult r = decryptionKey.decrypt(body, SessionFilter.all(), threads);
            if (!r.failures().isEmpty()) throw new IllegalStateException("restore failed: " + r.failures().get(0));
            return r;
        }
        return split((codec, i) -> codec.decrypt(corpus.ciphertexts.get(i)).sessionKey().length());
    }

    private interface PerKey {
        long apply(BackupCodec codec, int i) throws Exception;
    }

    private long split(PerKey op) throws Exception {
        if (pool == null) return range(codecs.get(0), 0, KEYS, op);
        List<Future<Long>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            BackupCodec codec = codecs.get(t);
            int from = KEYS * t / threads;
            int to = KEYS * (t + 1) / threads;
            parts.add(pool.submit(() -> range(codec, from, to, op)));
        }
        long total = 0;
        for (Future<Long> f : parts) total += f.get();
        return total;
    }

    private static long range(BackupCodec codec, int from, int to, PerKey op) throws Exception {
        long total = 0;
        for (int i = from; i < to; i++) total += op.apply(codec, i);
        return total;
    }
}
