package org.panolm.olm;

import static org.panolm.bindings.olm_h.*;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.olm_h;
import org.panolm.internal.libolm.Libolm;
import org.panolm.internal.libolm.LibolmObject;
import org.panolm.internal.libolm.LibolmType;
import org.panolm.internal.libolm.Pickling;

/**
 * An Olm account (libolm {@code OlmAccount}): the device's identity keys, its one-time keys and
 * fallback keys. Owns native memory: close it; after {@link #close()} every method throws
 * {@link IllegalStateException}. Thread-safe: methods are synchronized on the account.
 */
public final class Account implements AutoCloseable {
    /** More than libolm keeps (100) and far more than a server asks for; bounds the random buffer. */
    public static final int MAX_GENERATE = 1000;

    private static final Pickling PICKLING = new Pickling("account", "an account", olm_h::olm_pickle_account_length,
            olm_h::olm_pickle_account, olm_h::olm_unpickle_account);

    private final LibolmObject olm;
    private IdentityKeys identityKeys;

    private Account() {
        this.olm = LibolmObject.create(this, LibolmType.ACCOUNT);
    }

    /**
     * A new account with fresh identity keys.
     *
     * @return the account; the caller closes it
     */
    public static Account create() {
        Account account = new Account();
        return account.olm.initialize(account, Account::init);
    }

    private synchronized void init() {
        olm.callWithRandom(this, olm_create_account_random_length(olm.pointer()), null, olm_h::olm_create_account,
                "creating an account");
    }

    /**
     * Restores an account from a libolm pickle (also those made by other libolm bindings).
     *
     * @param pickle the pickle
     * @param pickleKey the key it was encrypted with
     * @return the account; the caller closes it
     * @throws OlmException {@link OlmError#BAD_ACCOUNT_KEY} for a wrong key or an altered pickle
     */
    public static Account fromPickle(String pickle, byte[] pickleKey) {
        return LibolmObject.fromPickle(pickle, pickleKey, PICKLING, Account::new, a -> a.olm);
    }

    /**
     * The account encrypted with {@code pickleKey}, in libolm's pickle format (unpadded base64).
     *
     * @param pickleKey the key to encrypt the pickle with
     * @return the pickle
     */
    public synchronized String pickle(byte[] pickleKey) {
        return olm.pickle(this, pickleKey, PICKLING);
    }

    /**
     * The device's identity keys; they never change, so they are read from libolm once.
     *
     * @return the identity keys
     */
    public synchronized IdentityKeys identityKeys() {
        MemorySegment p = olm.pointer();
        if (identityKeys == null) {
            identityKeys = KeyJson.identityKeys(olm.readAscii(this, olm_account_identity_keys_length(p),
                    olm_h::olm_account_identity_keys, "reading identity keys"));
        }
        return identityKeys;
    }

    /**
     * Signs {@code message} with the account's Ed25519 identity key; returns the 64-byte signature.
     *
     * @param message the bytes to sign
     * @return the signature
     */
    public synchronized byte[] sign(byte[] message) {
        Objects.requireNonNull(message, "message");
        long n = olm_account_signature_length(olm.pointer());
        return Libolm.requireSignatureLength(olm.transform(this, message, n, olm_h::olm_account_sign, "signing",
                "signature"));
    }

    /**
     * How many one-time keys the account keeps; generating more discards the oldest.
     *
     * @return the number of keys
     */
    public synchronized int maxNumberOfOneTimeKeys() {
        return Math.toIntExact(olm.query(this, olm_h::olm_account_max_number_of_one_time_keys));
    }

    /**
     * Generates {@code count} new one-time keys (0 to {@link #MAX_GENERATE}).
     *
     * @param count how many keys to generate
     */
    public synchronized void generateOneTimeKeys(int count) {
        if (count < 0 || count > MAX_GENERATE) {
            throw new PanolmException(Status.INVALID_ARGUMENT,
                    "one-time key count must be 0 to " + MAX_GENERATE + ", not " + count);
        }
        long n = olm_account_generate_one_time_keys_random_length(olm.pointer(), count);
        olm.callWithRandom(this, n, null, (p, random, length) -> olm_account_generate_one_time_keys(p, count, random,
                length), "generating one-time keys");
    }

    /**
     * The one-time keys not yet marked as published, in libolm's order.
     *
     * @return the keys
     */
    public synchronized List<OneTimeKey> oneTimeKeys() {
        long n = olm_account_one_time_keys_length(olm.pointer());
        return KeyJson.oneTimeKeys(olm.readAscii(this, n, olm_h::olm_account_one_time_keys, "reading one-time keys"));
    }

    /**
     * Marks the current one-time keys and fallback key as published: they no longer appear in
     * {@link #oneTimeKeys()} and {@link #unpublishedFallbackKey()}. Returns how many one-time keys it marked.
     *
     * @return the number of keys marked
     */
    public synchronized int markKeysAsPublished() {
        try {
            return Math.toIntExact(olm.check(olm_account_mark_keys_as_published(olm.pointer()), "marking keys published"));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Generates a new fallback key; the previous one is kept until {@link #forgetOldFallbackKey()}. */
    public synchronized void generateFallbackKey() {
        olm.callWithRandom(this, olm_account_generate_fallback_key_random_length(olm.pointer()), null,
                olm_h::olm_account_generate_fallback_key, "generating a fallback key");
    }

    /**
     * The current fallback key, if there is one that has not been marked as published.
     *
     * @return the key, or empty
     */
    public synchronized Optional<OneTimeKey> unpublishedFallbackKey() {
        long n = olm_account_unpublished_fallback_key_length(olm.pointer());
        List<OneTimeKey> keys = KeyJson.oneTimeKeys(olm.readAscii(this, n, olm_h::olm_account_unpublished_fallback_key,
                "reading the fallback key"));
        return keys.stream().findFirst();
    }

    /** Forgets the previous fallback key, once no more messages to it are expected. */
    public synchronized void forgetOldFallbackKey() {
        try {
            olm_account_forget_old_fallback_key(olm.pointer());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Removes the one-time key that {@code session} (an inbound session of this account) was created
     * with, so that it cannot be used again. Call it once the session's first message decrypted.
     *
     * @param session the session made from one of this account's one-time keys
     * @throws OlmException {@link OlmError#BAD_MESSAGE_KEY_ID} when the account no longer has that key
     */
    public synchronized void removeOneTimeKeys(Session session) {
        Objects.requireNonNull(session, "session");
        try {
            session.removeOneTimeKeysFrom(olm);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** For {@link Session}: the account's libolm object; callers hold this account's lock. */
    LibolmObject libolm() {
        return olm;
    }

    /** Wipes the account's keys from memory. Idempotent. */
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
        return olm.isClosed() ? "Account[closed]" : "Account[" + identityKeys().curve25519Base64() + "]";
    }
}
