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
 * panolm's batch path: a room history of {@value #SESSIONS} sessions × {@value #PER_SESSION} messages
 * (event ids and room id included, so replay and room checks run) decrypted in one downcall by
 * {@code BulkDecryptor} on {@code threads} threads. Sessions are imported and the batch described once;
 * every call decrypts the same history again (same event ids: duplicates, not replays), so {@code -prof gc}
 * shows the allocation of the decryption path alone. Reported per message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(BulkDecryptBench.SESSIONS * BulkDecryptBench.PER_SESSION)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE})
public class BulkDecryptBench {
    static final int SESSIONS = LibolmBulkDecryptBench.SESSIONS;
    static final int PER_SESSION = LibolmBulkDecryptBench.PER_SESSION;

    @Param("PANOLM")
    public String impl;

    @Param({"1", "2"})
    public int threads;

    @Param({"64", "256", "4096"})
    public int size;

    @Param({"IN_ORDER", "NEWEST_FIRST"})
    public Order order;

    private PanolmHistory history;

    @Setup(Level.Trial)
    public void setUp() {
        history = new PanolmHistory(new RoomHistory(SESSIONS, PER_SESSION, size, order), threads);
        history.prepare();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        history.close();
    }

    @Benchmark
    public long decrypt() {
        return history.decrypt();
    }
}
