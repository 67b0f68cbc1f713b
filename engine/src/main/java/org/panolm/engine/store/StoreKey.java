package org.panolm.engine.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.panolm.subtle.Kdf;

/**
 * The secret every secret column of a store is encrypted under: 32 random bytes the application keeps (in the
 * platform's key store, say), or a passphrase stretched with PBKDF2-SHA-512 over a salt the store keeps. The
 * bytes are wiped by {@link #close()}; {@code toString} never shows them.
 */
public final class StoreKey implements AutoCloseable {
    /** The length of a raw store key. */
    public static final int LENGTH = 32;
    /** PBKDF2 rounds for a passphrase; recorded in the store so it can be raised later. */
    public static final int DEFAULT_ROUNDS = 310_000;

    private final byte @Nullable [] raw;
    private final byte @Nullable [] passphrase;

    private StoreKey(byte @Nullable [] raw, byte @Nullable [] passphrase) {
        this.raw = raw;
        this.passphrase = passphrase;
    }

    /**
     * A raw key (copied).
     *
     * @param key 32 bytes
     * @return the store key
     */
    public static StoreKey of(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != LENGTH) {
            throw new IllegalArgumentException("a store key is " + LENGTH + " bytes, not " + key.length);
        }
        return new StoreKey(key.clone(), null);
    }

    /**
     * A key derived from a passphrase when the store is opened.
     *
     * @param passphrase the passphrase (its characters are copied as UTF-8; the caller wipes its array)
     * @return the store key
     */
    public static StoreKey passphrase(char[] passphrase) {
        Objects.requireNonNull(passphrase, "passphrase");
        if (passphrase.length == 0) {
            throw new IllegalArgumentException("an empty passphrase protects nothing");
        }
        var buffer = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(passphrase));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        Arrays.fill(buffer.array(), (byte) 0);
        return new StoreKey(null, bytes);
    }

    boolean isPassphrase() {
        return passphrase != null;
    }

    /** The 32-byte key: the raw key, or the passphrase stretched over {@code salt}. The caller wipes it. */
    byte[] derive(byte[] salt, int rounds) {
        if (raw != null) {
            return raw.clone();
        }
        return Kdf.pbkdf2Sha512(passphrase, salt, rounds, LENGTH);
    }

    @Override
    public void close() {
        if (raw != null) Arrays.fill(raw, (byte) 0);
        if (passphrase != null) Arrays.fill(passphrase, (byte) 0);
    }

    @Override
    public String toString() {
        return raw != null ? "StoreKey[raw]" : "StoreKey[passphrase]";
    }
}
