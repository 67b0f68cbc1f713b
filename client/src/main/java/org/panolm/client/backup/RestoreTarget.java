package org.panolm.client.backup;

import java.util.List;
import java.util.Objects;

import org.panolm.engine.store.CryptoStore;
import org.panolm.keystore.ImportSummary;
import org.panolm.keystore.KeyStore;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;

/**
 * Where a {@link BackupRestorer} puts each decrypted chunk as soon as it completes, so that a restore holds one
 * chunk at a time: an in-memory {@link KeyStore}, or the engine's {@link CryptoStore}.
 */
@FunctionalInterface
public interface RestoreTarget {

    /**
     * Imports one restored chunk.
     *
     * @param version the backup version the keys came from
     * @param keys the chunk's sessions, with "restored from backup" as their provenance
     * @param filter the sessions to keep
     * @return what changed
     */
    ImportSummary importFromBackup(String version, List<RoomKeyRecord> keys, SessionFilter filter);

    /**
     * An in-memory key store.
     *
     * @param store the key store
     * @return the target
     */
    static RestoreTarget of(KeyStore store) {
        return Objects.requireNonNull(store, "store")::importFromBackup;
    }

    /**
     * The engine's store: each chunk is one transaction that adds the keys and marks them as already in the
     * version they came from, so the upload queue does not send them back.
     *
     * @param store the engine's store
     * @return the target
     */
    static RestoreTarget of(CryptoStore store) {
        Objects.requireNonNull(store, "store");
        return (version, keys, filter) -> store.transaction(tx -> {
            List<RoomKeyRecord> kept = new java.util.ArrayList<>(keys.size());
            for (RoomKeyRecord k : keys) {
                if (filter.accepts(k.roomId(), k.sessionId())) kept.add(k);
            }
            ImportSummary added = tx.addRoomKeys(kept);
            // A held copy better than the backup's stays unmarked, so the backup gets the better copy.
            tx.markBackedUp(version, kept);
            return new ImportSummary(added.added(), added.improved(), added.unchanged(), 0, 0, 0, keys.size() - kept.size());
        });
    }
}
