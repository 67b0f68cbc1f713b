package org.panolm.client.backup;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import org.panolm.backup.BackupPublicKey;
import org.panolm.backup.BackupVersion;
import org.panolm.backup.RoomKeysBody;
import org.panolm.client.HomeserverClient;
import org.panolm.client.MatrixApiException;
import org.panolm.crosssigning.BackupTrust;
import org.panolm.keystore.KeyStore;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;

/**
 * Keeps a backup current: uploads the pending sessions of its {@link UploadSource} in batches
 * with {@code PUT /room_keys/keys?version=}, each encrypted in one native call, marking each batch in the
 * source once the server accepted it. It stops, uploading nothing more, when
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
        while (true) {
            List<RoomKeyRecord> pending = cursor.next(batchSize);
            if (pending.isEmpty()) {
                return new UploadOutcome(UploadOutcome.State.UP_TO_DATE, v, sessions, batches, count, null);
            }
            RoomKeysBody body = key.encrypt(pending);
            JsonNode answer;
            try {
                answer = client.sendRaw("PUT", path, java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.toJson()),
                        "application/json", JsonNode.class);
            } catch (MatrixApiException e) {
                if (e.is("M_WRONG_ROOM_KEYS_VERSION")) {
                    String current = e.body().map(b -> b.path("current_version").asText(null)).orElse(null);
                    return new UploadOutcome(UploadOutcome.State.VERSION_CHANGED, v, sessions, batches, count, current);
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
    public UploadOutcome keepCurrent(SecureBackup backup, UnlockedSecrets secrets) {
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
