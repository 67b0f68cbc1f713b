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
import org.panolm.internal.libolm.Pickling;
import org.panolm.internal.libolm.Scratch;

/**
 * libolm's PK decryption ({@code OlmPkDecryption}): a Curve25519 key pair that opens {@link PkMessage}s,
 * e.g. the key-backup private key. Legacy scheme: a successful decryption proves neither who sent the
 * message nor that its ciphertext is unaltered (see {@link PkMessage}); panolm adds a strict padding
 * check and refuses low-order ephemeral keys. Owns native memory: close it; after {@link #close()} every
 * method throws {@link IllegalStateException}. Thread-safe: methods are synchronized on the object.
 */
public final class PkDecryption implements AutoCloseable {
    /** The length of the private and public keys, in bytes. */
    public static final int KEY_LENGTH = 32;

    /** Unpickling also returns the public key, so {@link #unpickle} is this class's own. */
    private static final Pickling PICKLING = new Pickling("PK decryption", "a PK decryption key",
            pk_h::olm_pickle_pk_decryption_length, pk_h::olm_pickle_pk_decryption, null);

    private final LibolmObject olm;
    private byte[] publicKey;

    private PkDecryption() {
        this.olm = LibolmObject.create(this, LibolmType.PK_DECRYPTION);
    }

    /**
     * A new random key pair.
     *
     * @return the key pair; the caller closes it
     */
    public static PkDecryption generate() {
        return fromKey(null);
    }

    /**
     * The key pair of a 32-byte Curve25519 private key (e.g. a decoded recovery key).
     *
     * @param privateKey the 32-byte private key
     * @return the key pair; the caller closes it
     */
    public static PkDecryption fromPrivateKey(byte[] privateKey) {
        if (privateKey == null || privateKey.length != KEY_LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "PK private key must be " + KEY_LENGTH + " bytes");
        }
        return fromKey(privateKey);
    }

    private static PkDecryption fromKey(byte[] privateKey) {
        PkDecryption pk = new PkDecryption();
        return pk.olm.initialize(pk, d -> d.init(privateKey));
    }

    private synchronized void init(byte[] privateKey) {
        long secretLength = privateKey == null ? olm_pk_generate_key_random_length() : privateKey.length;
        publicKey = olm.deriveKeyPair(this, olm_pk_key_length(), secretLength, privateKey, pk_h::olm_pk_key_from_private,
                "creating a PK key pair", "PK public key");
    }

    /**
     * Restores a key pair from a libolm pickle.
     *
     * @param pickle the pickle
     * @param pickleKey the key it was encrypted with
     * @return the key pair; the caller closes it
     * @throws org.panolm.olm.OlmException {@code BAD_ACCOUNT_KEY} for a wrong key or an altered pickle
     */
    public static PkDecryption fromPickle(String pickle, byte[] pickleKey) {
        Objects.requireNonNull(pickle, "pickle");
        Objects.requireNonNull(pickleKey, "pickleKey");
        PkDecryption pk = new PkDecryption();
        return pk.olm.initialize(pk, d -> d.unpickle(pickle, pickleKey));
    }

    private synchronized void unpickle(String pickle, byte[] key) {
        MemorySegment p = olm.pointer();
        long keyLength = olm_pk_key_length();
        try (Scratch s = olm.scratch((long) pickle.length() + key.length + keyLength + Long.BYTES)) {
            MemorySegment k = Libolm.put(s, key);
            MemorySegment in = Libolm.putBase64Text(s, pickle, PICKLING.noun() + " pickle");
            MemorySegment pub = s.take(keyLength);
            olm.check(olm_unpickle_pk_decryption(p, k, key.length, in, in.byteSize(), pub, keyLength),
                    "unpickling " + PICKLING.object());
            publicKey = Libolm.getBase64(s, pub, keyLength, "PK public key");
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The key pair encrypted with {@code pickleKey}, in libolm's pickle format (unpadded base64).
     *
     * @param pickleKey the key to encrypt the pickle with
     * @return the pickle
     */
    public synchronized String pickle(byte[] pickleKey) {
        return olm.pickle(this, pickleKey, PICKLING);
    }

    /**
     * The 32-byte Curve25519 public key to encrypt to (the backup's {@code auth_data.public_key}).
     *
     * @return the public key
     */
    public synchronized byte[] publicKey() {
        olm.pointer();
        return publicKey.clone();
    }

    /**
     * A copy of the 32-byte private key; the caller owns (and should wipe) it.
     *
     * @return the private key
     */
    public synchronized byte[] privateKey() {
        MemorySegment p = olm.pointer();
        long n = olm_pk_private_key_length();
        try (Scratch s = olm.scratch(n)) {
            MemorySegment out = s.take(n);
            olm.check(olm_pk_get_private_key(p, out, n), "reading the PK private key");
            return Libolm.get(out, n);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Decrypts {@code message}.
     *
     * @param message the message
     * @return the plaintext
     * @throws org.panolm.olm.OlmException {@code BAD_MESSAGE_MAC} for another key or a wrong MAC
     * @throws PanolmException {@link Status#NON_CONTRIBUTORY} for a low-order ephemeral key,
     *         {@link Status#BAD_PADDING} for malformed padding
     */
    public synchronized byte[] decrypt(PkMessage message) {
        Objects.requireNonNull(message, "message");
        MemorySegment p = olm.pointer();
        byte[] ephemeral = message.ephemeralKeyUnsafe();
        Libolm.requireCurve25519PublicKey(ephemeral, "PK ephemeral key");
        byte[] mac = message.macUnsafe();
        byte[] ciphertext = message.ciphertextUnsafe();
        long ciphertextB64 = Libolm.base64Length(ciphertext.length);
        try (Scratch s = olm.scratch(Libolm.base64Length(ephemeral.length) + Libolm.base64Length(mac.length)
                + ciphertextB64 + ciphertext.length + 3 * Long.BYTES)) {
            MemorySegment e = Libolm.putBase64(s, ephemeral);
            MemorySegment m = Libolm.putBase64(s, mac);
            MemorySegment c = Libolm.putBase64(s, ciphertext);
            long max = olm.check(olm_pk_max_plaintext_length(p, ciphertextB64), "PK decryption");
            MemorySegment out = s.take(max);
            long n = olm.check(olm_pk_decrypt(p, e, e.byteSize(), m, m.byteSize(), c, ciphertextB64, out, max),
                    "PK decryption");
            Libolm.requireStrictPadding(out, n, max, "PK decryption");
            return Libolm.get(out, n);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Wipes the private key. Idempotent. */
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
        return olm.isClosed() ? "PkDecryption[closed]"
                : "PkDecryption[" + org.panolm.encoding.MatrixBase64.encode(publicKey) + "]";
    }
}
