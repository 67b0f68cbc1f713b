package org.panolm.engine.store;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Where the engine keeps its state: an interface, so that a client can put it elsewhere;
 * {@link SqliteCryptoStore} is the default. All reads and writes happen inside {@link #transaction}: one step of the
 * engine (a sync, a response) is one transaction, so a crash leaves either the state before it or the state after.
 * Implementations keep every secret encrypted at rest.
 */
public interface CryptoStore extends AutoCloseable {

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. A call made from
     * inside {@code work} joins the outer transaction.
     *
     * @param work what to read and write
     * @param <T> what it returns (may be null: {@code Void} work returns null)
     * @return what {@code work} returned
     * @throws StoreException when the store fails (the transaction is then rolled back)
     */
    <T extends @Nullable Object> T transaction(Function<StoreTransaction, T> work);

    /** Closes the store and releases its lock; idempotent. */
    @Override
    void close();
}
