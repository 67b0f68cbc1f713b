package org.panolm.benchmarks.megolm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
import org.panolm.bindings.panolm_h;
import org.panolm.subtle.Ed25519;

/**
 * The signature check of Megolm decryption alone, before and after batching, in one run: {@value #COUNT}
 * signatures of one sender key (a Megolm session) over 300-byte messages (what a 256 B plaintext signs),
 * verified by {@code panolm_ed25519_verify_batch} in mode {@code EACH} (libsodium's
 * {@code crypto_sign_verify_detached} per signature, the path Megolm decryption took before) or {@code BATCH}
 * (one multi-scalar multiplication per 64 signatures). One thread; reported per signature. {@code forged}
 * measures what forgeries cost the batch (a failed equation is bisected, dense failures go to libsodium):
 * none, one per chunk of 64, or every signature.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(Ed25519BatchVerifyBench.COUNT)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE})
public class Ed25519BatchVerifyBench {
    static final int COUNT = 1024;
    private static final int MESSAGE = 300;

    /** panolm.h's PANOLM_ED25519_EACH (1) and PANOLM_ED25519_BATCH (0). */
    @Param({"EACH", "BATCH"})
    public String mode;

    @Param({"NONE", "ONE_PER_CHUNK", "ALL"})
    public String forged;

    private Arena arena;
    private MemorySegment keys;
    private MemorySegment signatures;
    private MemorySegment messages;
    private MemorySegment ends;
    private MemorySegment verdicts;
    private int modeCode;
    private int expectedBad;

    @Setup(Level.Trial)
    public void setUp() {
        modeCode = mode.equals("BATCH") ? 0 : 1;
        arena = Arena.ofShared();
        keys = arena.allocate(32L * COUNT);
        signatures = arena.allocate(64L * COUNT);
        messages = arena.allocate((long) MESSAGE * COUNT);
        ends = arena.allocate(ValueLayout.JAVA_LONG, COUNT);
        verdicts = arena.allocate(ValueLayout.JAVA_INT, COUNT);
        expectedBad = 0;
        byte[] seed = new byte[32];
        new java.util.Random(1).nextBytes(seed);
        byte[] key = Ed25519.publicKey(seed);
        for (int i = 0; i < COUNT; i++) {
            byte[] message = MegolmCorpus.plaintext(MESSAGE, i);
            MemorySegment.copy(key, 0, keys, ValueLayout.JAVA_BYTE, 32L * i, 32);
            MemorySegment.copy(Ed25519.sign(seed, message), 0, signatures, ValueLayout.JAVA_BYTE, 64L * i, 64);
            boolean forge = forged.equals("ALL") || (forged.equals("ONE_PER_CHUNK") && i % 64 == 17);
            if (forge) {
                message[3] ^= 1;   // signed before the change: the signature no longer matches
                expectedBad++;
            }
            MemorySegment.copy(message, 0, messages, ValueLayout.JAVA_BYTE, (long) MESSAGE * i, MESSAGE);
            ends.setAtIndex(ValueLayout.JAVA_LONG, i, (long) MESSAGE * (i + 1));
        }
        if (verify() != expectedBad) throw new IllegalStateException("exactly the forged signatures must fail");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** Returns the number of signatures that did not verify (the forged ones). */
    @Benchmark
    public int verify() {
        int rc = panolm_h.panolm_ed25519_verify_batch(keys, signatures, messages, (long) MESSAGE * COUNT, ends, COUNT,
                verdicts, modeCode);
        if (rc != 0) throw new IllegalStateException("status " + rc);
        int bad = 0;
        for (int i = 0; i < COUNT; i++) bad += verdicts.getAtIndex(ValueLayout.JAVA_INT, i) != 0 ? 1 : 0;
        return bad;
    }
}
