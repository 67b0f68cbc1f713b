package org.panolm.pk;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_backup_h;
import org.panolm.internal.NativeStatus;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.subtle.X25519;

/**
 * PK encryption (libolm's {@code OlmPkEncryption}) to one recipient's Curve25519 key: the scheme of
 * server-side key backup, on the native code of {@link org.panolm.backup}. Legacy: unauthenticated
 * ciphertext and sender (see {@link PkMessage}). Holds only the public recipient key; it is
 * {@link AutoCloseable} for symmetry with {@link PkDecryption}, and after {@link #close()} every method
 * throws {@link IllegalStateException}. Thread-safe.
 */
public final class PkEncryption implements AutoCloseable {
    private final byte[] recipient;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PkEncryption(byte[] recipient) {
        this.recipient = recipient;
    }

    /**
     * Encrypts to {@code recipientKey}.
     *
     * @param recipientKey the recipient's 32-byte Curve25519 public key
     * @return the encryption object
     * @throws PanolmException {@code BAD_KEY} unless 32 bytes, {@code NON_CONTRIBUTORY} for a low-order
     *         key (libolm would encrypt with an all-zero shared secret)
     */
    public static PkEncryption forRecipient(byte[] recipientKey) {
        if (recipientKey == null || recipientKey.length != 32) {
            throw new PanolmException(Status.BAD_KEY, "PK recipient key must be 32 bytes");
        }
        byte[] probe = SecureRandomBytes.next(32);
        try {
            Arrays.fill(X25519.sharedSecret(probe, recipientKey), (byte) 0);
        } catch (PanolmException e) {
            throw new PanolmException(e.status(), "PK recipient key is a low-order Curve25519 point");
        } finally {
            Arrays.fill(probe, (byte) 0);
        }
        return new PkEncryption(recipientKey.clone());
    }

    /**
     * Encrypts with a fresh ephemeral key.
     *
     * @param plaintext the plaintext
     * @return the message
     */
    public PkMessage encrypt(byte[] plaintext) {
        return encrypt(plaintext, null);
    }

    /** With a chosen ephemeral private key, so that tests can reproduce published vectors; null means random. */
    PkMessage encrypt(byte[] plaintext, byte[] ephemeralPrivateKey) {
        Objects.requireNonNull(plaintext, "plaintext");
        if (closed.get()) throw new IllegalStateException("PkEncryption is closed");
        if (ephemeralPrivateKey != null && ephemeralPrivateKey.length != 32) {
            throw new PanolmException(Status.BAD_KEY, "ephemeral private key must be 32 bytes");
        }
        byte[] ephemeral = ephemeralPrivateKey != null ? ephemeralPrivateKey : SecureRandomBytes.next(32);
        byte[] ephemeralPublic = new byte[32];
        byte[] ciphertext = new byte[(int) panolm_backup_h.panolm_backup_ciphertext_length(plaintext.length)];
        byte[] mac = new byte[8];
        long[] length = new long[1];
        try {
            NativeStatus.check(panolm_backup_h.panolm_backup_encrypt_with_ephemeral(
                    java.lang.foreign.MemorySegment.ofArray(recipient), java.lang.foreign.MemorySegment.ofArray(ephemeral),
                    java.lang.foreign.MemorySegment.ofArray(plaintext), plaintext.length,
                    java.lang.foreign.MemorySegment.ofArray(ephemeralPublic), java.lang.foreign.MemorySegment.ofArray(ciphertext),
                    ciphertext.length, java.lang.foreign.MemorySegment.ofArray(length),
                    java.lang.foreign.MemorySegment.ofArray(mac)), "PK encryption");
            return new PkMessage(ephemeralPublic, mac, ciphertext);
        } finally {
            if (ephemeralPrivateKey == null) Arrays.fill(ephemeral, (byte) 0);
        }
    }

    /** Idempotent. */
    @Override
    public void close() {
        closed.set(true);
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public String toString() {
        return closed.get() ? "PkEncryption[closed]" : "PkEncryption";
    }
}
