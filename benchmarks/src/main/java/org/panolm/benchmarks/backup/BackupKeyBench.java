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

import org.panolm.benchmarks.support.Jvm;

/** Backup encryption and decryption of one key per call ({@code m.megolm_backup.v1}), per implementation. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE})
public class BackupKeyBench {
    private static final int RING = 256;

    @Param({"LIBOLM", "JDK"})
    public BackupCodecs impl;

    private BackupCodec codec;
    private byte[] json;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        BackupCorpus corpus = new BackupCorpus(RING);
        json = corpus.plaintexts.get(0);
        codec = impl.open(corpus);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        codec.close();
    }

    @Benchmark
    public long encrypt() throws Exception {
        return codec.encrypt(json);
    }

    @Benchmark
    public long decrypt() throws Exception {
        int i = next;
        next = (i + 1) % RING;
        return codec.decrypt(i);
    }
}
