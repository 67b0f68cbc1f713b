package org.panolm.benchmarks.floor;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.concurrent.TimeUnit;

import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import org.panolm.benchmarks.jdk.JdkHkdf;
import org.panolm.benchmarks.jdk.JdkKeys;
import org.panolm.benchmarks.support.Jvm;
import org.panolm.subtle.SecureRandomBytes;

/** The primitives of {@link FixedPrimitiveBench} on the JDK's own providers, same inputs, for comparison. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE})
public class JdkFixedPrimitiveBench {
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] MEGOLM_KEYS = "MEGOLM_KEYS".getBytes(StandardCharsets.US_ASCII);

    private KeyPairGenerator generator;
    private KeyAgreement agreement;
    private PrivateKey privateKey;
    private PublicKey peerPublic;
    private JdkHkdf hkdf;
    private byte[] ratchet;
    private byte[] shared;
    private Mac mac;
    private SecretKeySpec key;
    private byte[] seedByte;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        generator = KeyPairGenerator.getInstance("X25519");
        agreement = KeyAgreement.getInstance("XDH");
        privateKey = JdkKeys.x25519Private(SecureRandomBytes.next(32));
        peerPublic = generator.generateKeyPair().getPublic();
        hkdf = new JdkHkdf();
        ratchet = SecureRandomBytes.next(128);
        shared = SecureRandomBytes.next(32);
        mac = Mac.getInstance("HmacSHA256");
        key = new SecretKeySpec(SecureRandomBytes.next(32), "HmacSHA256");
        seedByte = new byte[] {3};
    }

    @Benchmark
    public KeyPair x25519KeyGen() {
        return generator.generateKeyPair();
    }

    @Benchmark
    public byte[] x25519Agreement() throws Exception {
        agreement.init(privateKey);
        agreement.doPhase(peerPublic, true);
        return agreement.generateSecret();
    }

    @Benchmark
    public byte[] hkdfMegolm() throws Exception {
        return hkdf.derive(ratchet, MEGOLM_KEYS, 80);
    }

    @Benchmark
    public byte[] hkdfBackup() throws Exception {
        return hkdf.derive(shared, EMPTY, 80);
    }

    @Benchmark
    public byte[] hmacEmpty() throws Exception {
        mac.init(key);
        return mac.doFinal();
    }

    @Benchmark
    public byte[] ratchetStep() throws Exception {
        mac.init(key);
        return mac.doFinal(seedByte);
    }
}
