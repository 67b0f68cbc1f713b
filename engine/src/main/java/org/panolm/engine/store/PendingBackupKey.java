package org.panolm.engine.store;

import java.util.Objects;

import org.panolm.keystore.RoomKeyRecord;

/**
 * A room key not yet in a backup version ({@link StoreTransaction#notBackedUp}).
 *
 * @param position where it is in the store, to page on from
 * @param key the key with its provenance
 */
public record PendingBackupKey(long position, RoomKeyRecord key) {
    /**
     * Checks the key is there.
     *
     * @param position where it is in the store
     * @param key the key
     */
    public PendingBackupKey {
        Objects.requireNonNull(key, "key");
    }
}
