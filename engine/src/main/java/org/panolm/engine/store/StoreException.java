package org.panolm.engine.store;

/**
 * The store could not do what was asked, with why as data. Never carries a secret: messages name tables,
 * rows by kind and counts, not values.
 */
public class StoreException extends RuntimeException {
    /** Why a store operation failed. */
    public enum Reason {
        /** Another process (or another open store in this one) holds the store. */
        LOCKED,
        /** The store key (or passphrase) does not open this store. */
        WRONG_KEY,
        /** A row does not decrypt or parse: the file was altered or damaged. */
        CORRUPT,
        /** The store was written by a newer panolm (a schema version this one does not know). */
        NEWER_SCHEMA,
        /** SQLite or the file system failed. */
        IO,
        /** The store is closed. */
        CLOSED
    }

    /** Why. */
    private final Reason reason;

    /**
     * An error without a cause.
     *
     * @param reason why
     * @param message what was being done (no secrets)
     */
    public StoreException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    /**
     * An error with its cause.
     *
     * @param reason why
     * @param message what was being done (no secrets)
     * @param cause the underlying failure
     */
    public StoreException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    /**
     * Why the operation failed.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
