package org.panolm.pk;

import static org.panolm.bindings.pk_h.*;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.util.Objects;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.pk_h;
import org.panolm.internal.libolm.Libolm;
import org.panolm.internal.libolm.LibolmObject;
import org.panolm.internal.libolm.LibolmType;
import org.panolm.internal.libolm.Scratch;

/**
 * libolm's PK encryption ({@code OlmPkEncryption}) to one recipient's Curve25519 key: the scheme of
 * server-side key backup. Legacy: unauthenticated ciphertext and sender (see {@link PkMessage}). Owns
 * native memory: close it; after {@link #close()} every method throws {@link IllegalStateException}.
 * Thread-safe: methods are synchronized on the object.
 */
public final class PkEncryption implements AutoCloseable {
    private final LibolmObject olm;

    private PkEncryption() {
        this.olm = LibolmObject.create(this, LibolmType.PK_ENCRYPTION);
    }

    /**
     * Encrypts to {@code recipientKey}.
     *
     * @param recipientKey the recipient's Curve25519 public key
     * @return the encryptor; the caller closes it
     * @throws org.panolm.PanolmException {@code BAD_KEY} unless 32 bytes, {@code NON_CONTRIBUTORY} for a
     *         low-order key (libolm would encrypt with an all-zero shared secret)
     */
    public static PkEncryption forRecipient(byte[] recipientKey) {
        Libolm.requireCurve25519PublicKey(recipientKey, "PK recipient key");
        PkEncryption pk = new PkEncryption();
        return pk.olm.initialize(pk, e -> e.setRecipient(recipientKey));
    }

    private synchronized void setRecipient(byte[] key) {
        olm.callWithBase64(this, key, pk_h::olm_pk_encryption_set_recipient_key, "setting the PK recipient key");
    }

    /**
     * Encrypts {@code plaintext} with a fresh ephemeral key.
     *
     * @param plaintext the plaintext
     * @return the message
     */
    public PkMessage encrypt(byte[] plaintext) {
        return encrypt(plaintext, null);
    }

    /**
     * With a chosen ephemeral private key, so that tests can reproduce published vectors; {@code null}
     * means random.
     */
    synchronized PkMessage encrypt(byte[] plaintext, byte[] ephemeralPrivateKey) {
        Objects.requireNonNull(plaintext, "plaintext");
        MemorySegment p = olm.pointer();
        long ciphertextLength = olm_pk_ciphertext_length(p, plaintext.length);
        long macLength = olm_pk_mac_length(p);
        long keyLength = olm_pk_key_length();
        long randomLength = olm_pk_encrypt_random_length(p);
        if (ephemeralPrivateKey != null && ephemeralPrivateKey.length != randomLength) {
            throw new PanolmException(Status.BAD_KEY, "ephemeral private key must be " + randomLength + " bytes");
        }
        try (Scratch s = olm.scratch(plaintext.length + ciphertextLength + macLength + keyLength + randomLength
                + 3 * Long.BYTES)) {
            MemorySegment in = Libolm.put(s, plaintext);
            MemorySegment ciphertext = s.take(ciphertextLength);
            MemorySegment mac = s.take(macLength);
            MemorySegment key = s.take(keyLength);
            MemorySegment random = Libolm.putRandom(s, randomLength, ephemeralPrivateKey);
            olm.check(olm_pk_encrypt(p, in, plaintext.length, ciphertext, ciphertextLength, mac, macLength, key,
                    keyLength, random, randomLength), "PK encryption");
            return new PkMessage(Libolm.getBase64(s, key, keyLength, "ephemeral key"),
                    Libolm.getBase64(s, mac, macLength, "PK MAC"),
                    Libolm.getBase64(s, ciphertext, ciphertextLength, "PK ciphertext"));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Wipes the key material. Idempotent. */
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
    public String toString() {
        return olm.isClosed() ? "PkEncryption[closed]" : "PkEncryption";
    }
}
