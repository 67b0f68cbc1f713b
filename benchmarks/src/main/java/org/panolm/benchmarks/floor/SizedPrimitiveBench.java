package org.panolm.benchmarks.floor;

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

import org.panolm.benchmarks.support.Jvm;
import org.panolm.subtle.Aes;
import org.panolm.subtle.Ed25519;
import org.panolm.subtle.Mac;
import org.panolm.subtle.SecureRandomBytes;

/**
 * The floors: each primitive of a Megolm message alone, through libpanolm ({@code org.panolm.subtle}),
 * on inputs shaped like a message carrying {@code size} bytes of plaintext. A Megolm decrypt's floor is
 * the sum of Ed25519 verify, HKDF (see {@link FixedPrimitiveBench}), HMAC and AES-CBC decrypt.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE})
public class SizedPrimitiveBench {
    @Param({"64", "256", "4096"})
    public int size;

    private byte[] seed;
    private byte[] publicKey;
    private byte[] signed;
    private byte[] signature;
    private byte[] macInput;
    private byte[] key;
    private byte[] iv;
    private byte[] plaintext;
    private byte[] ciphertext;

    @Setup(Level.Trial)
    public void setUp() {
        seed = SecureRandomBytes.next(32);
        publicKey = Ed25519.publicKey(seed);
        signed = SecureRandomBytes.next(MegolmShapes.signedInput(size));
        signature = Ed25519.sign(seed, signed);
        macInput = SecureRandomBytes.next(MegolmShapes.macInput(size));
        key = SecureRandomBytes.next(32);
        iv = SecureRandomBytes.next(16);
        plaintext = SecureRandomBytes.next(size);
        ciphertext = Aes.cbcEncrypt(key, iv, plaintext);
    }

    @Benchmark
    public boolean ed25519Verify() {
        return Ed25519.verify(publicKey, signed, signature);
    }

    @Benchmark
    public byte[] ed25519Sign() {
        return Ed25519.sign(seed, signed);
    }

    @Benchmark
    public byte[] hmacSha256() {
        return Mac.hmacSha256(key, macInput);
    }

    @Benchmark
    public byte[] aesCbcEncrypt() {
        return Aes.cbcEncrypt(key, iv, plaintext);
    }

    @Benchmark
    public byte[] aesCbcDecrypt() {
        return Aes.cbcDecrypt(key, iv, ciphertext);
    }
}
