package org.panolm.benchmarks.floor;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import org.panolm.benchmarks.support.Jvm;
import org.panolm.subtle.Kdf;
import org.panolm.subtle.Mac;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.subtle.X25519;

/**
 * The floors of fixed size, through libpanolm: X25519 (key generation and agreement), HKDF-SHA-256 as
 * Megolm uses it (128-byte ratchet, "MEGOLM_KEYS", 80 bytes) and as backups use it (32-byte secret,
 * empty info, 80 bytes), the backup MAC (HMAC over nothing) and one ratchet step (HMAC of one byte).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE})
public class FixedPrimitiveBench {
    private static final byte[] NO_SALT = new byte[0];
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] MEGOLM_KEYS = "MEGOLM_KEYS".getBytes(StandardCharsets.US_ASCII);

    private byte[] privateKey;
    private byte[] peerPublic;
    private byte[] ratchet;
    private byte[] shared;
    private byte[] key;
    private byte[] seedByte;

    @Setup(Level.Trial)
    public void setUp() {
        privateKey = SecureRandomBytes.next(32);
        peerPublic = X25519.publicKey(SecureRandomBytes.next(32));
        ratchet = SecureRandomBytes.next(128);
        shared = SecureRandomBytes.next(32);
        key = SecureRandomBytes.next(32);
        seedByte = new byte[] {3};
    }

    @Benchmark
    public byte[] x25519KeyGen() {
        return X25519.publicKey(privateKey);
    }

    @Benchmark
    public byte[] x25519Agreement() {
        return X25519.sharedSecret(privateKey, peerPublic);
    }

    @Benchmark
    public byte[] hkdfMegolm() {
        return Kdf.hkdfSha256(NO_SALT, ratchet, MEGOLM_KEYS, 80);
    }

    @Benchmark
    public byte[] hkdfBackup() {
        return Kdf.hkdfSha256(NO_SALT, shared, EMPTY, 80);
    }

    @Benchmark
    public byte[] hmacEmpty() {
        return Mac.hmacSha256(key, EMPTY);
    }

    @Benchmark
    public byte[] ratchetStep() {
        return Mac.hmacSha256(key, seedByte);
    }
}
