package org.panolm.benchmarks.megolm;

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

/** Megolm encryption of one message per call (sign, derive, encrypt, MAC, advance), per sender. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE})
public class MegolmEncryptBench {
    @Param({"PANOLM", "LIBOLM", "JDK"})
    public Encryptors impl;

    @Param("256")
    public int size;

    private MessageEncryptor encryptor;
    private byte[] plaintext;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        plaintext = MegolmCorpus.plaintext(size, 0);
        encryptor = impl.open(size);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encryptor.close();
    }

    @Benchmark
    public long encrypt() throws Exception {
        return encryptor.encrypt(plaintext);
    }
}
