package org.panolm.olm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.panolm.ErrorDetail;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_olm_h;
import org.panolm.internal.NativeHandle;
import org.panolm.internal.NativeStatus;

/**
 * An Olm account on panolm's native code: the device's identity keys (Curve25519 and Ed25519), up to
 * {@value #MAX_ONE_TIME_KEYS} one-time keys and a current and previous fallback key, numbered as libolm
 * numbers them. Reads libolm's pickles (so stores made with libolm migrate) and writes panolm's own.
 *
 * <p>Owns native memory: close it to wipe the keys; after {@link #close()} every method throws
 * {@link IllegalStateException}. Thread-safe (the native account locks itself).
 */
public final class Account implements AutoCloseable {
    /** How many one-time keys an account keeps (libolm's number); generating more drops the oldest. */
    public static final int MAX_ONE_TIME_KEYS = 100;
    /** The most one-time keys one {@link #generateOneTimeKeys} call makes. */
    public static final int MAX_GENERATE = MAX_ONE_TIME_KEYS;

    private final NativeHandle handle;
    private final IdentityKeys identityKeys;

    private Account(MemorySegment address) {
        this.handle = new NativeHandle(this, address, panolm_olm_h::panolm_olm_account_free, "Olm account");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment curve = arena.allocate(32);
            MemorySegment ed = arena.allocate(32);
            NativeStatus.check(panolm_olm_h.panolm_olm_account_identity_keys(address, curve, ed), "identity keys");
            this.identityKeys = new IdentityKeys(new Curve25519PublicKey(curve.toArray(JAVA_BYTE)),
                    new Ed25519PublicKey(ed.toArray(JAVA_BYTE)));
        }
    }

    /**
     * A new account with fresh identity keys and no one-time keys.
     *
     * @return the account; the caller closes it
     */
    public static Account create() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            NativeStatus.check(panolm_olm_h.panolm_olm_account_new(out), "creating an Olm account");
            return new Account(out.get(ADDRESS, 0));
        }
    }

    /**
     * Restores an account from a pickle: panolm's own ({@link #pickle}), or libolm's (from libolm, its
     * bindings, or vodozemac's {@code to_libolm_pickle}), told apart by panolm's {@code panolm1:} prefix.
     *
     * @param pickle the pickle text
     * @param pickleKey the key it was pickled with (any length up to 1024 bytes, empty allowed)
     * @return the account; the caller closes it
     * @throws OlmException {@link OlmError#BAD_ACCOUNT_KEY} for a wrong key or an altered pickle,
     *         {@link OlmError#UNKNOWN_PICKLE_VERSION}, {@link OlmError#CORRUPTED_PICKLE}
     */
    public static Account fromPickle(String pickle, byte[] pickleKey) {
        return Pickles.isOurs(pickle) ? unpickle(pickle, pickleKey, false) : unpickle(pickle, pickleKey, true);
    }

    /**
     * Restores an account from a libolm pickle only.
     *
     * @param pickle libolm's pickle text
     * @param pickleKey the key it was pickled with
     * @return the account; the caller closes it
     * @throws OlmException as {@link #fromPickle}
     */
    public static Account fromLibolmPickle(String pickle, byte[] pickleKey) {
        return unpickle(pickle, pickleKey, true);
    }

    /**
     * Restores an account from vodozemac's encrypted pickle ({@code AccountPickle::encrypt}: libolm's pickle
     * envelope around vodozemac's pickle JSON). Of vodozemac's one-time keys (it keeps up to 5000) the newest
     * {@value #MAX_ONE_TIME_KEYS} are kept; ids continue above every id in use.
     *
     * @param pickle the pickle text (unpadded base64)
     * @param pickleKey vodozemac's pickle key (32 bytes)
     * @return the account; the caller closes it
     * @throws OlmException {@link OlmError#BAD_ACCOUNT_KEY} for a wrong key or an altered pickle,
     *         {@link OlmError#CORRUPTED_PICKLE} for JSON that is not an account pickle (the message names the
     *         field), {@link OlmError#UNKNOWN_PICKLE_VERSION}
     */
    public static Account fromVodozemacPickle(String pickle, byte[] pickleKey) {
        return new Account(Pickles.readVodozemac(pickle, pickleKey, "vodozemac account pickle",
                panolm_olm_h::panolm_olm_account_from_vodozemac_pickle));
    }

    /**
     * Restores an account from vodozemac's pickle JSON ({@code AccountPickle} as serde writes it), as is, or
     * inside a matrix-sdk-crypto store record (its {@code "pickle"} field), as the store keeps it when it
     * does not encrypt its records. The caller wipes {@code json} afterwards; the native copy is wiped here.
     *
     * @param json the JSON text, UTF-8
     * @return the account; the caller closes it
     * @throws OlmException {@link OlmError#CORRUPTED_PICKLE} naming the field, as {@link #fromVodozemacPickle}
     */
    public static Account fromVodozemacJson(byte[] json) {
        return new Account(Pickles.readVodozemacJson(json, "vodozemac account JSON",
                panolm_olm_h::panolm_olm_account_from_vodozemac_json));
    }

    private static Account unpickle(String pickle, byte[] key, boolean libolm) {
        MemorySegment address = Pickles.read(pickle, key, libolm ? "libolm account pickle" : "account pickle",
                libolm ? panolm_olm_h::panolm_olm_account_from_libolm_pickle : panolm_olm_h::panolm_olm_account_unpickle);
        return new Account(address);
    }

    /**
     * The account encrypted under {@code pickleKey} in panolm's pickle format.
     *
     * @param pickleKey the key (any length up to 1024 bytes); a fresh salt makes every pickle's keys new
     * @return {@code panolm1:} and unpadded base64
     */
    public String pickle(byte[] pickleKey) {
        return call(p -> Pickles.write(p, pickleKey, panolm_olm_h::panolm_olm_account_pickle, "account"));
    }

    /**
     * The account in libolm's pickle format, which libolm and vodozemac's {@code from_libolm_pickle} read:
     * for moving an account back. libolm's format derives its IV from the key alone, so use a key once.
     *
     * @param pickleKey the key
     * @return libolm's pickle text
     */
    public String toLibolmPickle(byte[] pickleKey) {
        return call(p -> Pickles.write(p, pickleKey, panolm_olm_h::panolm_olm_account_to_libolm_pickle, "account"));
    }

    /**
     * The device's identity keys; they never change.
     *
     * @return the keys
     */
    public IdentityKeys identityKeys() {
        handle.acquire();
        handle.release();
        return identityKeys;
    }

    /**
     * Signs with the account's Ed25519 identity key.
     *
     * @param message the bytes to sign (for JSON: its canonical form)
     * @return the 64-byte signature
     */
    public byte[] sign(byte[] message) {
        Objects.requireNonNull(message, "message");
        return call(p -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment in = arena.allocateFrom(JAVA_BYTE, message);
                MemorySegment sig = arena.allocate(64);
                NativeStatus.check(panolm_olm_h.panolm_olm_account_sign(p, in, message.length, sig), "signing");
                return sig.toArray(JAVA_BYTE);
            }
        });
    }

    /**
     * How many one-time keys the account keeps; generating more discards the oldest.
     *
     * @return {@value #MAX_ONE_TIME_KEYS}
     */
    public int maxNumberOfOneTimeKeys() {
        call(p -> null);
        return MAX_ONE_TIME_KEYS;
    }

    /**
     * Generates new one-time keys; their ids continue the account's counter.
     *
     * @param count how many, 0 to {@link #MAX_GENERATE}
     */
    public void generateOneTimeKeys(int count) {
        if (count < 0 || count > MAX_GENERATE) {
            throw new PanolmException(Status.INVALID_ARGUMENT,
                    "one-time key count must be 0 to " + MAX_GENERATE + ", not " + count);
        }
        call(p -> {
            NativeStatus.check(panolm_olm_h.panolm_olm_account_generate_one_time_keys(p, count),
                    "generating one-time keys");
            return null;
        });
    }

    /**
     * The one-time keys not yet marked as published.
     *
     * @return the keys, newest first (libolm's order)
     */
    public List<OneTimeKey> oneTimeKeys() {
        return call(p -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment ids = arena.allocate(JAVA_INT, MAX_ONE_TIME_KEYS);
                MemorySegment keys = arena.allocate(32L * MAX_ONE_TIME_KEYS);
                MemorySegment count = arena.allocate(JAVA_LONG);
                NativeStatus.check(panolm_olm_h.panolm_olm_account_one_time_keys(p, ids, keys, MAX_ONE_TIME_KEYS, count),
                        "reading one-time keys");
                int n = (int) count.get(JAVA_LONG, 0);
                List<OneTimeKey> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(OneTimeKey.of(ids.getAtIndex(JAVA_INT, i), keys.asSlice(32L * i, 32).toArray(JAVA_BYTE)));
                }
                return List.copyOf(out);
            }
        });
    }

    /**
     * The unpublished one-time keys as libolm's {@code olm_account_one_time_keys} writes them:
     * {@code {"curve25519":{"AAAAAQ":"…",…}}}.
     *
     * @return the JSON text
     */
    public String oneTimeKeysJson() {
        return keysJson(oneTimeKeys());
    }

    /**
     * As {@link #oneTimeKeysJson()} for {@link #unpublishedFallbackKey()} (libolm's
     * {@code olm_account_unpublished_fallback_key}).
     *
     * @return the JSON text
     */
    public String unpublishedFallbackKeyJson() {
        return keysJson(unpublishedFallbackKey().map(List::of).orElse(List.of()));
    }

    private static String keysJson(List<OneTimeKey> keys) {
        StringBuilder json = new StringBuilder("{\"curve25519\":{");
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) json.append(',');
            json.append('"').append(keys.get(i).keyId()).append("\":\"").append(keys.get(i).publicKeyBase64()).append('"');
        }
        return json.append("}}").toString();
    }

    /**
     * Marks the current one-time keys and fallback key as published: they no longer appear in
     * {@link #oneTimeKeys()} and {@link #unpublishedFallbackKey()}.
     *
     * @return how many one-time keys it marked
     */
    public int markKeysAsPublished() {
        return call(p -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment marked = arena.allocate(JAVA_INT);
                NativeStatus.check(panolm_olm_h.panolm_olm_account_mark_keys_as_published(p, marked),
                        "marking keys published");
                return marked.get(JAVA_INT, 0);
            }
        });
    }

    /** Generates a new fallback key; the previous one is still accepted until {@link #forgetOldFallbackKey()}. */
    public void generateFallbackKey() {
        call(p -> {
            NativeStatus.check(panolm_olm_h.panolm_olm_account_generate_fallback_key(p), "generating a fallback key");
            return null;
        });
    }

    /**
     * The current fallback key, if there is one that has not been marked as published.
     *
     * @return the key, or empty
     */
    public Optional<OneTimeKey> unpublishedFallbackKey() {
        return fallback(true);
    }

    /**
     * The current fallback key, published or not.
     *
     * @return the key, or empty before the first {@link #generateFallbackKey()}
     */
    public Optional<OneTimeKey> fallbackKey() {
        return fallback(false);
    }

    private Optional<OneTimeKey> fallback(boolean unpublishedOnly) {
        return call(p -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment id = arena.allocate(JAVA_INT);
                MemorySegment key = arena.allocate(32);
                MemorySegment present = arena.allocate(JAVA_INT);
                NativeStatus.check(panolm_olm_h.panolm_olm_account_fallback_key(p, unpublishedOnly ? 1 : 0, id, key,
                        present), "reading the fallback key");
                return present.get(JAVA_INT, 0) == 0 ? Optional.<OneTimeKey>empty()
                        : Optional.of(OneTimeKey.of(id.get(JAVA_INT, 0), key.toArray(JAVA_BYTE)));
            }
        });
    }

    /** Forgets the previous fallback key, once no more messages to it are expected. */
    public void forgetOldFallbackKey() {
        call(p -> {
            NativeStatus.check(panolm_olm_h.panolm_olm_account_forget_old_fallback_key(p), "forgetting a fallback key");
            return null;
        });
    }

    /**
     * Removes the one-time key that {@code session} (an inbound session of this account) was created
     * with, so that it cannot start another session. Call it once the session's first message
     * decrypted. A fallback key is not removed (it stays valid until replaced).
     *
     * @param session an inbound session of this account
     * @throws OlmException {@link OlmError#BAD_MESSAGE_KEY_ID} when the account no longer has that key
     */
    public void removeOneTimeKeys(Session session) {
        Objects.requireNonNull(session, "session");
        call(p -> session.call(s -> {
            int rc = panolm_olm_h.panolm_olm_account_remove_one_time_key(p, s);
            if (rc != 0) throw OlmException.message(rc,
                    ErrorDetail.of("removing the one-time key").withSubject("session " + session.sessionId()));
            return null;
        }));
    }

    /**
     * Creates the receiving side of a session from another device's first (pre-key) message, decrypts
     * it, and only then removes the one-time key it used: vodozemac's single step. A message that does
     * not decrypt leaves the account unchanged.
     *
     * @param theirIdentityKey the sender's Curve25519 identity key from the event, or null to accept any
     * @param preKeyMessage the message (type 0)
     * @return the session (the caller closes it) and the plaintext
     * @throws OlmException as {@link Session#createInbound} and {@link Session#decrypt}
     */
    public InboundSession createInboundSession(@Nullable Curve25519PublicKey theirIdentityKey, OlmMessage preKeyMessage) {
        Session session = theirIdentityKey == null ? Session.createInbound(this, preKeyMessage)
                : Session.createInboundFrom(this, theirIdentityKey, preKeyMessage);
        try {
            byte[] plaintext = session.decrypt(preKeyMessage);
            removeOneTimeKeys(session);
            return new InboundSession(session, plaintext);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** The address for a call, under a lease. */
    <T> T call(java.util.function.Function<MemorySegment, T> f) {
        MemorySegment p = handle.acquire();
        try {
            return f.apply(p);
        } finally {
            handle.release();
        }
    }

    /** Wipes the account's keys from memory. Idempotent. */
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
        return handle.isClosed() ? "Account[closed]" : "Account[" + identityKeys.curve25519Base64() + "]";
    }
}
