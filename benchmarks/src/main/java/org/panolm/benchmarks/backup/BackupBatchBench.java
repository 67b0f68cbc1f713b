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

import org.panolm.benchmarks.support.Jvm;

/**
 * Backing up and restoring {@value #KEYS} keys at once, reported per key. Baselines without a batch API
 * call once per key, the keys split over {@code threads} Java threads, one codec object per thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(BackupBatchBench.KEYS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE})
public class BackupBatchBench {
    static final int KEYS = 1024;

    @Param({"LIBOLM"})
    public BackupCodecs impl;

    @Param({"1", "2"})
    public int threads;

    private BackupCorpus corpus;
    private final List<BackupCodec> codecs = new ArrayList<>();
    private ExecutorService pool;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        corpus = new BackupCorpus(KEYS);
        for (int t = 0; t < threads; t++) codecs.add(impl.open(corpus));
        pool = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) pool.shutdownNow();
        codecs.forEach(BackupCodec::close);
    }

    @Benchmark
    public long encrypt() throws Exception {
        return split((codec, i) -> codec.encrypt(corpus.plaintexts.get(i)));
    }

    @Benchmark
    public long decrypt() throws Exception {
        return split(BackupCodec::decrypt);
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
