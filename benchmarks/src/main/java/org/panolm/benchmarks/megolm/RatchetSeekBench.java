package org.panolm.benchmarks.megolm;

import java.util.ArrayList;
import java.util.List;
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
import org.panolm.megolm.MegolmOutboundSession;

/**
 * Whether ordering works: one session's {@code seekMessages} messages (256 B) in one batch, in order and
 * newest first. Newest first would cost a ratchet seek per message if the engine did not sort by index; with
 * sorting both orders should cost the same. On {@code threads} threads: the session is cut into segments that
 * start from a checkpoint of the ratchet, so even one sender's session uses every core (2 threads should take
 * about half the time of 1 on two idle cores). One call is the whole batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE})
public class RatchetSeekBench {
    @Param("100000")
    public int seekMessages;

    @Param({"IN_ORDER", "NEWEST_FIRST"})
    public Order order;

    @Param({"1", "2"})
    public int threads;

    private PanolmHistory history;

    @Setup(Level.Trial)
    public void setUp() {
        history = new PanolmHistory(oneSession(seekMessages, order), threads);
        history.prepare();
    }

    /** Made by panolm's sender, the quicker one (libolm decrypts its messages: MegolmBaselinesTest). */
    private static RoomHistory oneSession(int count, Order order) {
        try (MegolmOutboundSession out = MegolmOutboundSession.create()) {
            String key = out.sessionKey().toBase64();
            List<byte[]> messages = new ArrayList<>(count);
            List<byte[]> plaintexts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] p = MegolmCorpus.plaintext(256, i);
                plaintexts.add(p);
                messages.add(out.encryptToAscii(p));
            }
            return new RoomHistory(List.of(new MegolmCorpus.SessionMessages(key, out.sessionId(), messages, plaintexts)),
                    order);
        }
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
