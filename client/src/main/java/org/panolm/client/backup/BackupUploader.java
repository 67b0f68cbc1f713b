package org.panolm.client.backup;

import java.lang.System.Logger.Level;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;
import org.panolm.backup.BackupPublicKey;
import org.panolm.backup.BackupVersion;
import org.panolm.client.HomeserverClient;
import org.panolm.client.MatrixApiException;
import org.panolm.crosssigning.BackupTrust;
import org.panolm.keystore.KeyStore;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;
import org.panolm.client.internal.ClientJson;

/**
 * Keeps a backup current: uploads the pending sessions of its {@link UploadSource} in batches
 * with {@code PUT /room_keys/keys?version=}, each encrypted in one native call (the next batch while the
 * previous one is on the wire), marking each batch in the source once the server accepted it. It stops, uploading nothing more, when
 * the server says the version changed ({@code M_WRONG_ROOM_KEYS_VERSION}) or is gone ({@code 404});
 * {@link #keepCurrent} then checks the new version's trust and moves to it only if trusted.
 *
 * <p>Rate limits and server errors are retried by the client's policy; a failure that outlasts it is thrown,
 * and the sessions of that batch stay pending, so the next round (or a restart) sends them.
 */
public final class BackupUploader {
    private static final System.Logger LOG = System.getLogger("org.panolm.client.backup");
    /** Sessions per request: the spec sets no limit; this keeps each body near a megabyte. */
    public static final int DEFAULT_BATCH = 1000;

    private final HomeserverClient client;
    private final UploadSource source;
    private final int batchSize;
    private final SessionFilter filter;
    private volatile BatchListener listener = (v, n) -> { };

    /** Told after each batch the server accepted and the journal recorded. */
    @FunctionalInterface
    public interface BatchListener {
        /**
         * A batch is in the backup.
         *
         * @param version the version
         * @param sessions how many sessions it held
         */
        void uploaded(String version, int sessions);
    }

    /**
     * An uploader of {@code store}'s sessions.
     *
     * @param client the logged-in client
     * @param store the key store whose sessions are backed up
     * @param journal where upload marks are kept across restarts
     * @param batchSize sessions per request
     * @param filter the sessions that may be backed up (a room or session marked do-not-store is left out)
     */
    public BackupUploader(HomeserverClient client, KeyStore store, UploadJournal journal, int batchSize,
                          SessionFilter filter) {
        this(client, UploadSource.of(store, journal), batchSize, filter);
    }

    /**
     * An uploader of the sessions {@code source} holds (for the engine's store: {@link UploadSource#of(
     * org.panolm.engine.store.CryptoStore)}, read a batch at a time).
     *
     * @param client the logged-in client
     * @param source where pending sessions are read and upload marks recorded
     * @param batchSize sessions per request
     * @param filter the sessions that may be backed up (a room or session marked do-not-store is left out)
     */
    public BackupUploader(HomeserverClient client, UploadSource source, int batchSize, SessionFilter filter) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be at least 1");
        this.client = Objects.requireNonNull(client, "client");
        this.source = Objects.requireNonNull(source, "source");
        this.batchSize = batchSize;
        this.filter = Objects.requireNonNull(filter, "filter");
    }

    /**
     * Sets the listener told after each batch.
     *
     * @param listener the listener
     */
    public void onBatch(BatchListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Uploads every pending session to {@code version}, encrypted for its public key. The journal's marks for
     * the version are read first, so a restart resumes where it stopped.
     *
     * @param version the backup version (already trusted by the caller)
     * @return how the round ended
     */
    public UploadOutcome upload(BackupVersion version) {
        String v = Objects.requireNonNull(version.version(), "version.version");
        BackupPublicKey key = version.publicKey();
        UploadSource.Cursor cursor = source.pending(v, filter);
        String path = "/_matrix/client/v3/room_keys/keys?version=" + HomeserverClient.segment(v);
        int sessions = 0, batches = 0;
        long count = -1;
        // Two stages: while batch k is on the wire (and the server reads it), batch k+1 is encrypted natively.
        // One batch ahead at most, so memory stays at two batches whatever the number of keys. The cursor and
        // the marks stay on this thread, in order: a batch is marked only after the server accepted it.
        ExecutorService encryptor = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("panolm-backup-encrypt").factory());
        try {
            List<RoomKeyRecord> pending = cursor.next(batchSize);
            Future<byte[]> body = pending.isEmpty() ? null : encrypt(encryptor, key, pending);
            while (body != null) {
                List<RoomKeyRecord> next = cursor.next(batchSize);
                Future<byte[]> nextBody = next.isEmpty() ? null : encrypt(encryptor, key, next);
                JsonNode answer;
                try {
                    answer = client.sendRaw("PUT", path, HttpRequest.BodyPublishers.ofByteArray(await(body)),
                            "application/json", JsonNode.class);
                } catch (MatrixApiException e) {
                    if (e.is("M_WRONG_ROOM_KEYS_VERSION")) {
                        String current = e.body().map(b -> ClientJson.tree(b).path("current_version").asText(null)).orElse(null);
                        return new UploadOutcome(UploadOutcome.State.VERSION_CHANGED, v, sessions, batches, count,
                                current);
                    }
                    if (e.status() == 404) {
                        return new UploadOutcome(UploadOutcome.State.VERSION_GONE, v, sessions, batches, count, null);
                    }
                    throw e;
                }
                source.uploaded(v, pending);
                sessions += pending.size();
                batches++;
                count = answer.path("count").asLong(-1);
                int n = pending.size();
                LOG.log(Level.DEBUG, () -> "backed up " + n + " sessions");
                listener.uploaded(v, n);
                pending = next;
                body = nextBody;
            }
            return new UploadOutcome(UploadOutcome.State.UP_TO_DATE, v, sessions, batches, count, null);
        } finally {
            encryptor.shutdownNow();
        }
    }

    private static Future<byte[]> encrypt(ExecutorService encryptor, BackupPublicKey key, List<RoomKeyRecord> batch) {
        return encryptor.submit(() -> key.encrypt(batch).toJson());
    }

    /** The encrypted body, or the encryption's own exception. */
    private static byte[] await(Future<byte[]> body) {
        try {
            return body.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("backup upload: cancelled");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException("encrypting a backup batch failed", e.getCause());
        }
    }

    /**
     * Uploads to the current version, following a change of version only to a version {@code backup}
     * trusts ({@link SecureBackup#trust}); an untrusted one stops the round with nothing sent to it.
     *
     * @param backup the Secure Backup of this device, for the trust check
     * @param secrets our unlocked secrets, or null
     * @return how the round ended
     */
    public UploadOutcome keepCurrent(SecureBackup backup, @Nullable UnlockedSecrets secrets) {
        BackupVersion version = backup.currentVersion().orElse(null);
        for (int hops = 0; version != null && hops < 3; hops++) {
            BackupTrust trust = backup.trust(version, secrets);
            if (!trust.trusted()) {
                LOG.log(Level.INFO, "backup version " + version.version() + " is not trusted: " + trust.findings());
                return new UploadOutcome(UploadOutcome.State.NEW_VERSION_UNTRUSTED, version.version(), 0, 0, -1,
                        version.version());
            }
            UploadOutcome outcome = upload(version);
            if (outcome.state() == UploadOutcome.State.UP_TO_DATE) return outcome;
            version = backup.currentVersion().orElse(null);
            if (version == null) return outcome;
        }
        return new UploadOutcome(UploadOutcome.State.VERSION_GONE, null, 0, 0, -1, null);
    }
}
