package org.panolm.olm;

import static org.panolm.bindings.olm_h.*;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.internal.libolm.Libolm;
import org.panolm.internal.libolm.LibolmObject;
import org.panolm.internal.libolm.LibolmType;
import org.panolm.internal.libolm.Scratch;
import org.panolm.subtle.Ed25519;

/**
 * An Olm account (libolm {@code OlmAccount}): the device's identity keys, its one-time keys and
 * fallback keys. Owns native memory: close it; after {@link #close()} every method throws
 * {@link IllegalStateException}. Thread-safe: methods are synchronized on the account.
 */
public final class Account implements AutoCloseable {
    /** More than libolm keeps (100) and far more than a server asks for; bounds the random buffer. */
    public static final int MAX_GENERATE = 1000;

    private final LibolmObject olm;
    private IdentityKeys identityKeys;

    private Account() {
        this.olm = LibolmObject.create(this, LibolmType.ACCOUNT);
    }

    /** A new account with fresh identity keys. */
    public static Account create() {
        Account account = new Account();
        try {
            account.init();
            return account;
        } catch (RuntimeException e) {
            account.close();
            throw e;
        }
    }

    private synchronized void init() {
        MemorySegment p = olm.pointer();
        long n = olm_create_account_random_length(p);
        try (Scratch s = olm.scratch(n)) {
            MemorySegment random = s.take(n);
            Libolm.random(random);
            olm.check(olm_create_account(p, random, n), "creating an account");
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Restores an account from a libolm pickle (also those made by other libolm bindings).
     *
     * @throws OlmException {@link OlmError#BAD_ACCOUNT_KEY} for a wrong key or an altered pickle
     */
    public static Account fromPickle(String pickle, byte[] pickleKey) {
        Objects.requireNonNull(pickle, "pickle");
        Objects.requireNonNull(pickleKey, "pickleKey");
        Account account = new Account();
        try {
            account.unpickle(pickle, pickleKey);
            return account;
        } catch (RuntimeException e) {
            account.close();
            throw e;
        }
    }

    private synchronized void unpickle(String pickle, byte[] key) {
        MemorySegment p = olm.pointer();
        try (Scratch s = olm.scratch((long) pickle.length() + key.length)) {
            MemorySegment k = Libolm.put(s, key);
            MemorySegment in = Libolm.putBase64Text(s, pickle, "account pickle");
            olm.check(olm_unpickle_account(p, k, key.length, in, in.byteSize()), "unpickling an account");
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The account encrypted with {@code pickleKey}, in libolm's pickle format (unpadded base64). */
    public synchronized String pickle(byte[] pickleKey) {
        Objects.requireNonNull(pickleKey, "pickleKey");
        MemorySegment p = olm.pointer();
        long n = olm_pickle_account_length(p);
        try (Scratch s = olm.scratch(n + pickleKey.length)) {
            MemorySegment k = Libolm.put(s, pickleKey);
            MemorySegment out = s.take(n);
            long written = olm.check(olm_pickle_account(p, k, pickleKey.length, out, n), "pickling an account");
            return Libolm.getAscii(out, written);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The device's identity keys; they never change, so they are read from libolm once. */
    public synchronized IdentityKeys identityKeys() {
        MemorySegment p = olm.pointer();
        if (identityKeys != null) {
            return identityKeys;
        }
        long n = olm_account_identity_keys_length(p);
        try (Scratch s = olm.scratch(n)) {
            MemorySegment out = s.take(n);
            long written = olm.check(olm_account_identity_keys(p, out, n), "reading identity keys");
            identityKeys = KeyJson.identityKeys(Libolm.getAscii(out, written));
            return identityKeys;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Signs {@code message} with the account's Ed25519 identity key; returns the 64-byte signature. */
    public synchronized byte[] sign(byte[] message) {
        Objects.requireNonNull(message, "message");
        MemorySegment p = olm.pointer();
        long n = olm_account_signature_length(p);
        try (Scratch s = olm.scratch(message.length + n + 2 * Long.BYTES)) {
            MemorySegment m = Libolm.put(s, message);
            MemorySegment out = s.take(n);
            long written = olm.check(olm_account_sign(p, m, message.length, out, n), "signing");
            byte[] signature = Libolm.getBase64(s, out, written, "signature");
            if (signature.length != Ed25519.SIGNATURE_LENGTH) {
                throw new PanolmException(Status.INTERNAL, "libolm returned a signature of " + signature.length + " bytes");
            }
            return signature;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** How many one-time keys the account keeps; generating more discards the oldest. */
    public synchronized int maxNumberOfOneTimeKeys() {
        try {
            return Math.toIntExact(olm_account_max_number_of_one_time_keys(olm.pointer()));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Generates {@code count} new one-time keys (0 to {@link #MAX_GENERATE}). */
    public synchronized void generateOneTimeKeys(int count) {
        if (count < 0 || count > MAX_GENERATE) {
            throw new PanolmException(Status.INVALID_ARGUMENT,
                    "one-time key count must be 0 to " + MAX_GENERATE + ", not " + count);
        }
        MemorySegment p = olm.pointer();
        long n = olm_account_generate_one_time_keys_random_length(p, count);
        try (Scratch s = olm.scratch(n)) {
            MemorySegment random = s.take(n);
            if (n > 0) {
                Libolm.random(random);
            }
            olm.check(olm_account_generate_one_time_keys(p, count, random, n), "generating one-time keys");
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The one-time keys not yet marked as published, in libolm's order. */
    public synchronized List<OneTimeKey> oneTimeKeys() {
        MemorySegment p = olm.pointer();
        long n = olm_account_one_time_keys_length(p);
        try (Scratch s = olm.scratch(n)) {
            MemorySegment out = s.take(n);
            long written = olm.check(olm_account_one_time_keys(p, out, n), "reading one-time keys");
            return KeyJson.oneTimeKeys(Libolm.getAscii(out, written));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Marks the current one-time keys and fallback key as published: they no longer appear in
     * {@link #oneTimeKeys()} and {@link #unpublishedFallbackKey()}. Returns how many one-time keys it marked.
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
        MemorySegment p = olm.pointer();
        long n = olm_account_generate_fallback_key_random_length(p);
        try (Scratch s = olm.scratch(n)) {
            MemorySegment random = s.take(n);
            Libolm.random(random);
            olm.check(olm_account_generate_fallback_key(p, random, n), "generating a fallback key");
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The current fallback key, if there is one that has not been marked as published. */
    public synchronized Optional<OneTimeKey> unpublishedFallbackKey() {
        MemorySegment p = olm.pointer();
        long n = olm_account_unpublished_fallback_key_length(p);
        try (Scratch s = olm.scratch(n)) {
            MemorySegment out = s.take(n);
            long written = olm.check(olm_account_unpublished_fallback_key(p, out, n), "reading the fallback key");
            List<OneTimeKey> keys = KeyJson.oneTimeKeys(Libolm.getAscii(out, written));
            return keys.stream().findFirst();
        } finally {
            Reference.reachabilityFence(this);
        }
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

    public boolean isClosed() {
        return olm.isClosed();
    }

    @Override
    public synchronized String toString() {
        return olm.isClosed() ? "Account[closed]" : "Account[" + identityKeys().curve25519Base64() + "]";
    }
}
