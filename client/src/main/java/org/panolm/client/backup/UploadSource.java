package org.panolm.client.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.panolm.engine.store.CryptoStore;
import org.panolm.engine.store.PendingBackupKey;
import org.panolm.keystore.KeyStore;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionRef;
import org.panolm.keystore.SessionFilter;

/**
 * Where a {@link BackupUploader} reads the sessions a backup version does not hold yet and records the ones the
 * server accepted: an in-memory {@link KeyStore} with its {@link UploadJournal}, or the engine's
 * {@link CryptoStore}, whose marks are durable and which is read a batch at a time (bounded memory whatever
 * the number of keys).
 */
public interface UploadSource {

    /**
     * The pending sessions of one upload round, a batch at a time. The uploader reads a batch before the previous
     * one is marked (it encrypts ahead), so a cursor must never hand out a session twice in one round.
     */
    @FunctionalInterface
    interface Cursor {
        /**
         * The next pending sessions.
         *
         * @param max how many at most
         * @return the next batch, empty when none is left
         */
        List<RoomKeyRecord> next(int max);
    }

    /**
     * Starts a round over the sessions not yet in {@code version} that {@code filter} accepts.
     *
     * @param version the backup version
     * @param filter the sessions that may be backed up
     * @return the round's cursor
     */
    Cursor pending(String version, SessionFilter filter);

    /**
     * Records that the server accepted {@code batch} into {@code version}.
     *
     * @param version the backup version
     * @param batch the sessions sent
     */
    void uploaded(String version, List<RoomKeyRecord> batch);

    /**
     * The sessions of an in-memory key store, marked in it and in {@code journal} (replayed at each round's start,
     * so a restart resumes).
     *
     * @param store the key store
     * @param journal the journal of upload marks
     * @return the source
     */
    static UploadSource of(KeyStore store, UploadJournal journal) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(journal, "journal");
        return new UploadSource() {
            /**
             * The sessions of the current round handed out but not marked yet (the uploader reads one batch
             * ahead): skipped by the cursor, forgotten once marked, so the set stays within the read-ahead.
             */
            private volatile Set<SessionRef> handedOut = ConcurrentHashMap.newKeySet();

            @Override
            public Cursor pending(String version, SessionFilter filter) {
                journal.replayInto(store, version);
                Set<SessionRef> round = ConcurrentHashMap.newKeySet();
                handedOut = round;
                // The marks made after each batch move the store's pending list on.
                return max -> {
                    List<RoomKeyRecord> listed = store.pendingBackup(version, filter,
                            (int) Math.min(Integer.MAX_VALUE, (long) max + round.size()));
                    List<RoomKeyRecord> out = new ArrayList<>(Math.min(max, listed.size()));
                    for (RoomKeyRecord r : listed) {
                        if (out.size() == max) break;
                        if (!round.contains(r.ref())) out.add(r);
                    }
                    for (RoomKeyRecord r : out) round.add(r.ref());
                    return out;
                };
            }

            @Override
            public void uploaded(String version, List<RoomKeyRecord> batch) {
                journal.append(version, batch);
                store.markBackedUp(version, batch);
                Set<SessionRef> round = handedOut;
                for (RoomKeyRecord r : batch) round.remove(r.ref());
            }
        };
    }

    /**
     * The room keys of the engine's store, paged in store order and marked in the store (committed once the server
     * accepted them, so a restart sends nothing twice).
     *
     * @param store the engine's store
     * @return the source
     */
    static UploadSource of(CryptoStore store) {
        Objects.requireNonNull(store, "store");
        return new UploadSource() {
            @Override
            public Cursor pending(String version, SessionFilter filter) {
                long[] after = {0};
                return max -> {
                    List<RoomKeyRecord> out = new ArrayList<>(Math.min(max, 1024));
                    while (out.size() < max) {
                        int want = max - out.size();
                        List<PendingBackupKey> page = store.transaction(tx -> tx.notBackedUp(version, after[0], want));
                        if (page.isEmpty()) break;
                        after[0] = page.getLast().position();
                        // A session the filter leaves out stays unmarked; the position moves past it all the same.
                        for (PendingBackupKey p : page) {
                            if (filter.accepts(p.key().roomId(), p.key().sessionId())) out.add(p.key());
                        }
                    }
                    return out;
                };
            }

            @Override
            public void uploaded(String version, List<RoomKeyRecord> batch) {
                store.transaction(tx -> tx.markBackedUp(version, batch));
            }
        };
    }
}
