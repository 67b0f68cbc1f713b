package org.panolm.pk;

import static org.panolm.bindings.pk_h.*;

import java.util.Objects;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.pk_h;
import org.panolm.internal.libolm.Libolm;
import org.panolm.internal.libolm.LibolmObject;
import org.panolm.internal.libolm.LibolmType;
import org.panolm.subtle.SecureRandomBytes;

/**
 * libolm's PK signing ({@code OlmPkSigning}): an Ed25519 key from a 32-byte seed, as used for
 * cross-signing keys. The caller signs canonical JSON bytes. Owns native memory: close it; after
 * {@link #close()} every method throws {@link IllegalStateException}. Thread-safe: methods are
 * synchronized on the object.
 */
public final class PkSigning implements AutoCloseable {
    /** The length of a seed, in bytes. */
    public static final int SEED_LENGTH = 32;
    /** The length of a signature, in bytes. */
    public static final int SIGNATURE_LENGTH = 64;

    private final LibolmObject olm;
    private byte[] publicKey;

    private PkSigning() {
        this.olm = LibolmObject.create(this, LibolmType.PK_SIGNING);
    }

    /**
     * A new random seed; keep it (secretly) to recreate the key with {@link #fromSeed}.
     *
     * @return the 32-byte seed
     */
    public static byte[] generateSeed() {
        return SecureRandomBytes.next(SEED_LENGTH);
    }

    /**
     * The signing key of a seed (as {@link #generateSeed()} makes it, or a cross-signing seed).
     *
     * @param seed the 32-byte Ed25519 seed
     * @return the key; the caller closes it
     */
    public static PkSigning fromSeed(byte[] seed) {
        if (seed == null || seed.length != SEED_LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "PK signing seed must be " + SEED_LENGTH + " bytes");
        }
        PkSigning pk = new PkSigning();
        return pk.olm.initialize(pk, s -> s.init(seed));
    }

    private synchronized void init(byte[] seed) {
        publicKey = olm.deriveKeyPair(this, olm_pk_signing_public_key_length(), seed.length, seed,
                pk_h::olm_pk_signing_key_from_seed, "creating a PK signing key", "PK signing public key");
    }

    /**
     * The 32-byte Ed25519 public key.
     *
     * @return the public key
     */
    public synchronized byte[] publicKey() {
        olm.pointer();
        return publicKey.clone();
    }

    /**
     * The 64-byte Ed25519 signature of {@code message}.
     *
     * @param message the bytes to sign
     * @return the signature
     */
    public synchronized byte[] sign(byte[] message) {
        Objects.requireNonNull(message, "message");
        return Libolm.requireSignatureLength(olm.transform(this, message, olm_pk_signature_length(), pk_h::olm_pk_sign,
                "PK signing", "signature"));
    }

    /** Wipes the signing key. Idempotent. */
    @Override
    public synchronized void close() {
        olm.close();
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return olm.isClosed();
    }

    @Override
    public synchronized String toString() {
        return olm.isClosed() ? "PkSigning[closed]" : "PkSigning[" + org.panolm.encoding.MatrixBase64.encode(publicKey) + "]";
    }
}
