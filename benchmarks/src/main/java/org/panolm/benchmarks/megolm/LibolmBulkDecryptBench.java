package org.panolm.benchmarks.megolm;

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
 * libolm's answer to a batch on two threads: a room history of {@value #SESSIONS} sessions ×
 * {@value #PER_SESSION} messages split by session over Java threads, one FFM call per message. (On
 * one thread this is the per-message figure of {@link MegolmDecryptBench}.) Reported per message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(LibolmBulkDecryptBench.SESSIONS * LibolmBulkDecryptBench.PER_SESSION)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE})
public class LibolmBulkDecryptBench {
    static final int SESSIONS = 8;
    static final int PER_SESSION = 256;

    @Param("2")
    public int threads;

    @Param({"64", "256", "4096"})
    public int size;

    @Param({"IN_ORDER", "NEWEST_FIRST"})
    public Order order;

    private PerMessageBatch batch;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        batch = new PerMessageBatch(new RoomHistory(SESSIONS, PER_SESSION, size, order), Decryptors.LIBOLM, threads);
    }

    /** Not timed: each batch starts from freshly imported sessions, as a history load would. */
    @Setup(Level.Invocation)
    public void freshSessions() throws Exception {
        batch.reset();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        batch.close();
    }

    @Benchmark
    public long decrypt() throws Exception {
        return batch.decryptAll();
    }
}
