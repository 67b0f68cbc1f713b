package org.panolm.pk;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.Function;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_h;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.NativeHandle;
import org.panolm.internal.NativeStatus;
import org.panolm.subtle.SecureRandomBytes;

/**
 * PK signing (libolm's {@code OlmPkSigning}): an Ed25519 key from a 32-byte seed, as used for
 * cross-signing keys, on libsodium. The caller signs canonical JSON bytes. The seed lives in native
 * memory only; close it to wipe it; after {@link #close()} every method throws
 * {@link IllegalStateException}. Thread-safe.
 */
public final class PkSigning implements AutoCloseable {
    /** The length of a seed, in bytes. */
    public static final int SEED_LENGTH = 32;
    /** The length of a signature, in bytes. */
    public static final int SIGNATURE_LENGTH = 64;

    private final NativeHandle handle;
    private final byte[] publicKey;

    private PkSigning(byte[] seed) {
        this.handle = NativeHandle.secretMemory(this, SEED_LENGTH, 1, s -> s.fill((byte) 0), "PK signing key");
        MemorySegment secret = handle.acquire();
        MemorySegment.copy(seed, 0, secret, JAVA_BYTE, 0, SEED_LENGTH);
        handle.release();
        byte[] pub = new byte[32];
        int rc = panolm_h.panolm_ed25519_public(secret, MemorySegment.ofArray(pub));
        if (rc != 0) {
            handle.close();
            NativeStatus.check(rc, "PK signing public key");
        }
        this.publicKey = pub;
    }

    /**
     * A new random seed; keep it (secretly) to recreate the key with {@link #fromSeed}.
     *
     * @return 32 random bytes
     */
    public static byte[] generateSeed() {
        return SecureRandomBytes.next(SEED_LENGTH);
    }

    /**
     * The signing key of a seed.
     *
     * @param seed the 32-byte seed (the caller keeps its copy)
     * @return the key; the caller closes it
     */
    public static PkSigning fromSeed(byte[] seed) {
        if (seed == null || seed.length != SEED_LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "PK signing seed must be " + SEED_LENGTH + " bytes");
        }
        return new PkSigning(seed);
    }

    /**
     * The Ed25519 public key.
     *
     * @return a copy of the 32 bytes
     */
    public byte[] publicKey() {
        return call(s -> publicKey.clone());
    }

    /**
     * Signs.
     *
     * @param message the bytes to sign (for JSON: its canonical form)
     * @return the 64-byte Ed25519 signature
     */
    public byte[] sign(byte[] message) {
        Objects.requireNonNull(message, "message");
        return call(seed -> {
            byte[] signature = new byte[SIGNATURE_LENGTH];
            NativeStatus.check(panolm_h.panolm_ed25519_sign(seed, MemorySegment.ofArray(message), message.length,
                    MemorySegment.ofArray(signature)), "PK signing");
            return signature;
        });
    }

    private <T> T call(Function<MemorySegment, T> f) {
        MemorySegment s = handle.acquire();
        try {
            return f.apply(s);
        } finally {
            handle.release();
        }
    }

    /** Wipes the signing key. Idempotent. */
    @Override
    public void close() {
        handle.close();
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return handle.isClosed();
    }

    @Override
    public String toString() {
        return handle.isClosed() ? "PkSigning[closed]" : "PkSigning[" + MatrixBase64.encode(publicKey) + "]";
    }
}
