package org.panolm.ssss;

import java.util.Arrays;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.recovery.Passphrase;
import org.panolm.recovery.PassphraseInfo;
import org.panolm.recovery.RecoveryKey;
import org.panolm.subtle.SecureRandomBytes;

/**
 * A 32-byte secret-storage key (the bytes behind a Security Key, or derived from a Security Phrase).
 * {@link #close()} wipes it; use after close throws {@link IllegalStateException}. {@link #toString()}
 * never shows it.
 */
public final class SecretStorageKey implements AutoCloseable {
    /** The length of a key, in bytes. */
    public static final int LENGTH = 32;

    private final Object lock = new Object();
    private byte[] bytes;

    private SecretStorageKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * A new random key.
     *
     * @return the key; the caller closes it
     */
    public static SecretStorageKey generate() {
        return new SecretStorageKey(SecureRandomBytes.next(LENGTH));
    }

    /**
     * Copies {@code key}; the caller keeps (and should wipe) its array.
     *
     * @param key the 32-byte key
     * @return the key; the caller closes it
     */
    public static SecretStorageKey fromBytes(byte[] key) {
        if (key == null || key.length != LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "secret storage key must be " + LENGTH + " bytes, not "
                    + (key == null ? "missing" : key.length));
        }
        return new SecretStorageKey(key.clone());
    }

    /**
     * Derives the key with {@code m.pbkdf2}; the info must ask for 256 bits.
     *
     * @param passphrase the Security Phrase
     * @param info the derivation parameters
     * @return the key; the caller closes it
     */
    public static SecretStorageKey fromPassphrase(Passphrase passphrase, PassphraseInfo info) {
        info.validate();
        if (info.outputBits() != LENGTH * 8) {
            throw new PanolmException(Status.BAD_KEY,
                    "passphrase.bits is " + info.outputBits() + ", a secret storage key needs 256");
        }
        return new SecretStorageKey(info.deriveKey(passphrase));
    }

    /**
     * The key behind a Security Key as the user typed or pasted it.
     * @param securityKey the Security Key text
     * @return the key; the caller closes it
     * @throws org.panolm.recovery.RecoveryKeyException naming what is wrong with the text
     */
    public static SecretStorageKey fromRecoveryKey(String securityKey) {
        return new SecretStorageKey(RecoveryKey.decode(securityKey));
    }

    /**
     * The Security Key to show the user once (it is a secret: do not log it).
     *
     * @return the Security Key text
     */
    public String toRecoveryKey() {
        synchronized (lock) {
            return RecoveryKey.encode(live());
        }
    }

    /**
     * A copy of the key bytes (for encoding as a Security Key); the caller must wipe it.
     *
     * @return the 32 key bytes
     */
    public byte[] copyBytes() {
        synchronized (lock) {
            return live().clone();
        }
    }

    /** Runs {@code action} with the key bytes while the key cannot be closed under it. */
    <T> T withBytes(java.util.function.Function<byte[], T> action) {
        synchronized (lock) {
            return action.apply(live());
        }
    }

    private byte[] live() {
        if (bytes == null) {
            throw new IllegalStateException("secret storage key is closed");
        }
        return bytes;
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
                bytes = null;
            }
        }
    }

    @Override
    public String toString() {
        return "SecretStorageKey[hidden]";
    }
}
