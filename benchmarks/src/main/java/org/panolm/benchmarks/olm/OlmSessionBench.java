package org.panolm.benchmarks.olm;

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
 * One Olm session, per implementation: encrypting a normal message, encrypting and decrypting one (in
 * order, as to-device messages arrive), and setting a session up from nothing (outbound session from a
 * fallback key, the pre-key message, the inbound session, its decryption: three X25519 agreements a side).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE})
public class OlmSessionBench {
    @Param({"PANOLM", "LIBOLM"})
    public OlmImpl impl;

    @Param({"256"})
    public int size;

    private OlmImpl.Conversation conversation;
    private byte[] plaintext;

    @Setup(Level.Trial)
    public void setUp() {
        conversation = impl.open(size);
        plaintext = OlmImpl.plaintext(size);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        conversation.close();
    }

    @Benchmark
    public Object encrypt() {
        return conversation.encrypt(plaintext);
    }

    @Benchmark
    public byte[] encryptAndDecrypt() {
        return conversation.decrypt(conversation.encrypt(plaintext));
    }

    @Benchmark
    public byte[] createSession() {
        return conversation.newSession(plaintext);
    }
}
