package org.panolm.benchmarks.backup;

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

import org.panolm.backup.SessionData;
import org.panolm.benchmarks.support.Jvm;
import org.panolm.export.ExportedRoomKey;

/** Backing up one room key per call, and restoring one ({@code m.megolm_backup.v1}), per implementation. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE})
public class BackupKeyBench {
    private static final int RING = 256;

    @Param({"PANOLM", "LIBOLM", "JDK"})
    public BackupCodecs impl;

    private BackupCorpus corpus;
    private BackupCodec codec;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        corpus = new BackupCorpus(RING);
        codec = impl.open(corpus);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        codec.close();
    }

    @Benchmark
    public SessionData encrypt() throws Exception {
        int i = next;
        next = (i + 1) % RING;
        return codec.encrypt(corpus.keys.get(i));
    }

    @Benchmark
    public ExportedRoomKey decrypt() throws Exception {
        int i = next;
        next = (i + 1) % RING;
        return codec.decrypt(corpus.ciphertexts.get(i));
    }
}
