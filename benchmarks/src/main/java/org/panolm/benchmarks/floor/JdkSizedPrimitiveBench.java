package org.panolm.benchmarks.floor;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

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

import org.panolm.benchmarks.jdk.JdkKeys;
import org.panolm.benchmarks.support.Jvm;
import org.panolm.subtle.SecureRandomBytes;

/** The primitives of {@link SizedPrimitiveBench} on the JDK's own providers, same inputs, for comparison. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE})
public class JdkSizedPrimitiveBench {
    @Param("256")
    public int size;

    private PrivateKey signingKey;
    private PublicKey verifyingKey;
    private Signature signature;
    private byte[] signed;
    private byte[] sig;
    private byte[] macInput;
    private SecretKeySpec macKey;
    private SecretKeySpec aesKey;
    private IvParameterSpec iv;
    private Mac mac;
    private Cipher aes;
    private byte[] plaintext;
    private byte[] ciphertext;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        byte[] seed = SecureRandomBytes.next(32);
        signingKey = JdkKeys.ed25519Private(seed);
        verifyingKey = JdkKeys.ed25519Public(org.panolm.subtle.Ed25519.publicKey(seed));
        signature = Signature.getInstance("Ed25519");
        signed = SecureRandomBytes.next(MegolmShapes.signedInput(size));
        signature.initSign(signingKey);
        signature.update(signed);
        sig = signature.sign();
        macInput = SecureRandomBytes.next(MegolmShapes.macInput(size));
        byte[] key = SecureRandomBytes.next(32);
        macKey = new SecretKeySpec(key, "HmacSHA256");
        aesKey = new SecretKeySpec(key, "AES");
        iv = new IvParameterSpec(SecureRandomBytes.next(16));
        mac = Mac.getInstance("HmacSHA256");
        aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        plaintext = SecureRandomBytes.next(size);
        aes.init(Cipher.ENCRYPT_MODE, aesKey, iv);
        ciphertext = aes.doFinal(plaintext);
    }

    @Benchmark
    public boolean ed25519Verify() throws Exception {
        signature.initVerify(verifyingKey);
        signature.update(signed);
        return signature.verify(sig);
    }

    @Benchmark
    public byte[] ed25519Sign() throws Exception {
        signature.initSign(signingKey);
        signature.update(signed);
        return signature.sign();
    }

    @Benchmark
    public byte[] hmacSha256() throws Exception {
        mac.init(macKey);
        return mac.doFinal(macInput);
    }

    @Benchmark
    public byte[] aesCbcEncrypt() throws Exception {
        aes.init(Cipher.ENCRYPT_MODE, aesKey, iv);
        return aes.doFinal(plaintext);
    }

    @Benchmark
    public byte[] aesCbcDecrypt() throws Exception {
        aes.init(Cipher.DECRYPT_MODE, aesKey, iv);
        return aes.doFinal(ciphertext);
    }
}
