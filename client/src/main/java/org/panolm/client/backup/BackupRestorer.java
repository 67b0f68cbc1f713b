package org.panolm.client.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jspecify.annotations.Nullable;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.backup.BackupDecryptionKey;
import org.panolm.backup.BackupVersion;
import org.panolm.backup.KeyBackupData;
import org.panolm.backup.RestoreFailure;
import org.panolm.backup.RestoreResult;
import org.panolm.backup.RestoreSink;
import org.panolm.backup.RoomKeyBackup;
import org.panolm.backup.RoomKeysBody;
import org.panolm.client.HomeserverClient;
import org.panolm.client.MatrixApiException;
import org.panolm.keystore.ImportSummary;
import org.panolm.keystore.KeyStore;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;

/**
 * Restores a backup into a {@link KeyStore} (or another {@link RestoreTarget}): {@code GET /room_keys/keys} is
 * read as a stream by core ({@link BackupDecryptionKey#restore(BackupVersion, boolean, InputStream, SessionFilter,
 * RestoreSink)}: the next batch parsed while one is decrypted on all cores), and the restored sessions are
 * imported a chunk at a time, on a thread of their own while the next batch is decrypted, with provenance
 * "restored from backup" (naming the version and whether its {@code auth_data} was trusted). Memory is
 * bounded by a few batches, whatever the size of the backup. {@link #fetch} gets one session on demand, when an
 * event arrives that no held key decrypts.
 */
public final class BackupRestorer {
    /** Restored sessions imported at once (one import, one transaction, each). */
    public static final int DEFAULT_CHUNK = 2000;
    private static final int KEPT_FAILURES = 100;

    private final HomeserverClient client;
    private final @Nullable KeyStore store;
    private final RestoreTarget target;
    private final int chunk;

    /**
     * A restorer into {@code store}.
     *
     * @param client the logged-in client
     * @param store the store the sessions go into
     * @param chunk restored sessions imported at once
     */
    public BackupRestorer(HomeserverClient client, KeyStore store, int chunk) {
        this(client, Objects.requireNonNull(store, "store"), RestoreTarget.of(store), chunk);
    }

    /**
     * A restorer into {@code target} (for the engine's store: {@link RestoreTarget#of(
     * org.panolm.engine.store.CryptoStore)}), each chunk written as it completes. {@link #fetch} needs a
     * {@link KeyStore} and is not available on such a restorer.
     *
     * @param client the logged-in client
     * @param target where each restored chunk goes
     * @param chunk restored sessions imported at once
     */
    public BackupRestorer(HomeserverClient client, RestoreTarget target, int chunk) {
        this(client, null, Objects.requireNonNull(target, "target"), chunk);
    }

    private BackupRestorer(HomeserverClient client, @Nullable KeyStore store, RestoreTarget target, int chunk) {
        if (chunk < 1) throw new IllegalArgumentException("chunk must be at least 1");
        this.client = Objects.requireNonNull(client, "client");
        this.store = store;
        this.target = target;
        this.chunk = chunk;
    }

    /**
     * Restores every session of {@code version} that {@code filter} accepts.
     *
     * @param version the version (its {@code public_key} must be {@code key}'s: checked first)
     * @param authDataTrusted whether the caller trusts the version's {@code auth_data}
     * @param key the backup decryption key
     * @param filter which sessions to restore
     * @return what was restored
     */
    public RestoreSummary restore(BackupVersion version, boolean authDataTrusted, BackupDecryptionKey key,
                                  SessionFilter filter) {
        if (!key.matches(version.authData())) {
            throw new PanolmException(Status.BAD_KEY, "the backup decryption key does not match the public_key of "
                    + "backup version " + version.version());
        }
        String path = "/_matrix/client/v3/room_keys/keys?version=" + HomeserverClient.segment(version.version());
        Totals totals = new Totals();
        // Core reads the body as a stream (the next batch parsed while one is decrypted on all cores) and hands
        // each entry's outcome here in body order; a chunk of restored keys is imported on a thread of its own
        // while the next is decrypted.
        try (Importer importer = new Importer(version.version(), filter, totals);
             InputStream in = client.getStream(path)) {
            Collector collector = new Collector(importer, totals);
            key.restore(version, authDataTrusted, in, filter, collector);
            importer.submit(collector.keys);
            importer.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("reading GET /_matrix/client/v3/room_keys/keys failed", e);
        }
        return new RestoreSummary(version.version(), authDataTrusted, totals.read, totals.restored, totals.added,
                totals.improved, totals.failures, totals.failureCount);
    }

    /** Gathers the restored keys of the stream into chunks for the importer; counts and keeps failures. */
    private final class Collector implements RestoreSink {
        private final Importer importer;
        private final Totals totals;
        List<RoomKeyRecord> keys = new ArrayList<>();

        Collector(Importer importer, Totals totals) {
            this.importer = importer;
            this.totals = totals;
        }

        @Override
        public void restored(RoomKeyRecord key) {
            totals.read++;
            totals.restored++;
            keys.add(key);
            if (keys.size() >= chunk) {
                importer.submit(keys);
                keys = new ArrayList<>();
            }
        }

        @Override
        public void failed(RestoreFailure failure) {
            totals.read++;
            totals.fail(failure);
        }
    }

    /**
     * Imports chunks of restored keys in order, one import (one transaction) each, on a thread of its own, so
     * the store's writes overlap the next chunk's decryption. One chunk waits at most, so memory stays at a few
     * chunks. Closing waits for the chunk in hand: nothing is written after {@link #restore} returned or threw.
     */
    private final class Importer implements AutoCloseable {
        private final ExecutorService thread = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("panolm-backup-import").factory());
        private final String version;
        private final SessionFilter filter;
        private final Totals totals;
        private @Nullable Future<ImportSummary> inHand;

        Importer(String version, SessionFilter filter, Totals totals) {
            this.version = version;
            this.filter = filter;
            this.totals = totals;
        }

        void submit(List<RoomKeyRecord> keys) {
            if (keys.isEmpty()) return;
            finish();
            inHand = thread.submit(() -> target.importFromBackup(version, keys, filter));
        }

        /** Waits for the chunk in hand and counts it; its failure is thrown here. */
        void finish() {
            Future<ImportSummary> f = inHand;
            if (f == null) return;
            inHand = null;
            ImportSummary s;
            try {
                s = f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("backup restore: cancelled");
            } catch (ExecutionException e) {
                switch (e.getCause()) {
                    case RuntimeException r -> throw r;
                    case Error err -> throw err;
                    default -> throw new IllegalStateException("importing restored keys failed", e.getCause());
                }
            }
            totals.added += s.added();
            totals.improved += s.improved();
        }

        @Override
        public void close() {
            Future<ImportSummary> f = inHand;
            inHand = null;
            if (f != null) {
                boolean interrupted = false;
                while (true) {
                    try {
                        f.get();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException | CancellationException e) {
                        break; // the first failure is the one thrown
                    }
                }
                if (interrupted) Thread.currentThread().interrupt();
            }
            thread.shutdown();
        }
    }

    /**
     * Fetches and imports one session ({@code GET /room_keys/keys/{room}/{session}}), for an event no held
     * key decrypts.
     *
     * @param version the version
     * @param authDataTrusted whether the caller trusts the version's {@code auth_data}
     * @param key the backup decryption key
     * @param roomId the room
     * @param sessionId the Megolm session id
     * @return the session as stored, or empty when the backup does not hold it
     */
    public Optional<RoomKeyRecord> fetch(BackupVersion version, boolean authDataTrusted, BackupDecryptionKey key,
                                         String roomId, String sessionId) {
        if (store == null) throw new IllegalStateException("fetch needs a restorer made with a KeyStore");
        String path = "/_matrix/client/v3/room_keys/keys/" + HomeserverClient.segment(roomId) + "/"
                + HomeserverClient.segment(sessionId) + "?version=" + HomeserverClient.segment(version.version());
        KeyBackupData data;
        try {
            data = client.get(path, KeyBackupData.class);
        } catch (MatrixApiException e) {
            if (e.status() == 404) return Optional.empty();
            throw e;
        }
        RoomKeysBody body = new RoomKeysBody(java.util.Map.of(roomId,
                new RoomKeyBackup(java.util.Map.of(sessionId, data))));
        RestoreResult result = key.restore(version, authDataTrusted, body, SessionFilter.all());
        if (!result.failures().isEmpty()) throw result.failures().getFirst().error();
        store.importFromBackup(version.version(), result.keys(), SessionFilter.all());
        return result.keys().stream().findFirst().flatMap(r -> store.get(r.ref()));
    }

    private static final class Totals {
        long read, restored, added, improved, failureCount;
        final List<RestoreFailure> failures = new ArrayList<>();

        void fail(RestoreFailure f) {
            failureCount++;
            if (failures.size() < KEPT_FAILURES) failures.add(f);
        }
    }
}
