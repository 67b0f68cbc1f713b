package org.panolm.benchmarks.kdf;

import java.nio.charset.StandardCharsets;
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

import org.panolm.benchmarks.jdk.JdkPbkdf2;
import org.panolm.benchmarks.support.Jvm;
import org.panolm.subtle.Kdf;

/** The Security Phrase derivation ({@code m.pbkdf2}): PBKDF2-HMAC-SHA-512 to 32 bytes, native vs JDK. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE})
public class Pbkdf2Bench {
    private static final String PASSPHRASE = "correct horse battery staple, but longer";
    private static final byte[] SALT = "IuLnH7S85YtZmkkBJKwNUKxWF42g9O1H".getBytes(StandardCharsets.UTF_8);

    /** Element's and matrix-rust-sdk's count for new keys. */
    @Param("500000")
    public int iterations;

    private JdkPbkdf2 jdk;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        jdk = new JdkPbkdf2();
    }

    @Benchmark
    public byte[] panolm() {
        return Kdf.pbkdf2Sha512(PASSPHRASE.getBytes(StandardCharsets.UTF_8), SALT, iterations, 32);
    }

    @Benchmark
    public byte[] jdk() throws Exception {
        return jdk.derive(PASSPHRASE.toCharArray(), SALT, iterations, 32);
    }
}
