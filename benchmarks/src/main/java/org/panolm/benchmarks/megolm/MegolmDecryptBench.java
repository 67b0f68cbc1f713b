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

/**
 * Megolm decryption one message per call, signatures verified, for each receiver. The session's
 * messages are replayed as a ring; when it wraps, the receiver is reset to the imported key (so "in
 * order" stays in order), a cost spread over {@code messages} calls.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE})
public class MegolmDecryptBench {
    @Param({"PANOLM", "LIBOLM", "JDK"})
    public Decryptors impl;

    @Param({"64", "256", "4096"})
    public int size;

    @Param({"IN_ORDER", "NEWEST_FIRST"})
    public Order order;

    /** Messages in the ring; newest-first seeks cost more the more there are. */
    @Param("1000")
    public int messages;

    private byte[][] ring;
    private MessageDecryptor decryptor;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        MegolmCorpus.SessionMessages s = MegolmCorpus.session(size, messages);
        ring = new byte[messages][];
        for (int i = 0; i < messages; i++) ring[i] = s.base64Messages().get(order.position(i, messages));
        decryptor = impl.open(s);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        decryptor.close();
    }

    @Benchmark
    public long decrypt() throws Exception {
        if (next == ring.length) {
            next = 0;
            decryptor.reset();
        }
        return decryptor.decrypt(ring[next++]);
    }
}
