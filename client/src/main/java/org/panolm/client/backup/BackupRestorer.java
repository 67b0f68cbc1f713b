package org.panolm.client.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.backup.BackupDecryptionKey;
import org.panolm.backup.BackupVersion;
import org.panolm.backup.KeyBackupData;
import org.panolm.backup.RestoreFailure;
import org.panolm.backup.RestoreResult;
import org.panolm.backup.RoomKeyBackup;
import org.panolm.backup.RoomKeysBody;
import org.panolm.client.HomeserverClient;
import org.panolm.client.MatrixApiException;
import org.panolm.export.InvalidRoomKeyException;
import org.panolm.keystore.ImportSummary;
import org.panolm.keystore.KeyStore;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;

/**
 * Restores a backup into a {@link KeyStore}: {@code GET /room_keys/keys} is read as a stream, a chunk of
 * sessions at a time, each chunk decrypted in one native call on all cores (while the next chunk is read) and
 * imported with provenance "restored from backup" (naming the version and whether its {@code auth_data} was trusted). Memory is
 * bounded by the chunk, whatever the size of the backup. {@link #fetch} gets one session on demand, when an
 * event arrives that no held key decrypts.
 */
public final class BackupRestorer {
    /** Sessions decrypted per native call. */
    public static final int DEFAULT_CHUNK = 2000;
    private static final int KEPT_FAILURES = 100;

    private final HomeserverClient client;
    private final KeyStore store;
    private final RestoreTarget target;
    private final int chunk;

    /**
     * A restorer into {@code store}.
     *
     * @param client the logged-in client
     * @param store the store the sessions go into
     * @param chunk sessions held and decrypted at once
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
     * @param chunk sessions held and decrypted at once
     */
    public BackupRestorer(HomeserverClient client, RestoreTarget target, int chunk) {
        this(client, null, Objects.requireNonNull(target, "target"), chunk);
    }

    private BackupRestorer(HomeserverClient client, KeyStore store, RestoreTarget target, int chunk) {
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
        Decryptor decryptor = new Decryptor(version, authDataTrusted, key, filter, totals);
        try (decryptor; InputStream in = client.getStream(path);
             JsonParser p = client.json().getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw bad("the body is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (!"rooms".equals(field) || t == JsonToken.VALUE_NULL) {
                    p.skipChildren();
                    continue;
                }
                if (t != JsonToken.START_OBJECT) throw bad("rooms is not an object");
                readRooms(p, decryptor);
            }
            decryptor.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("reading GET /_matrix/client/v3/room_keys/keys failed", e);
        }
        return new RestoreSummary(version.version(), authDataTrusted, totals.read, totals.restored, totals.added,
                totals.improved, totals.failures, totals.failureCount);
    }

    private void readRooms(JsonParser p, Decryptor decryptor) throws IOException {
        Chunk chunk = new Chunk();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String roomId = p.currentName();
            if (p.nextToken() != JsonToken.START_OBJECT) {
                chunk.odd(roomId, null, p.readValueAsTree());
                continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (!"sessions".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                if (v != JsonToken.START_OBJECT) {
                    if (v != JsonToken.VALUE_NULL) chunk.odd(roomId, null, client.json().createObjectNode().set("sessions", p.readValueAsTree()));
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String sessionId = p.currentName();
                    p.nextToken();
                    JsonNode entry = p.readValueAsTree();
                    KeyBackupData data = null;
                    try {
                        data = RoomKeysBody.entry(roomId, sessionId, entry);
                    } catch (InvalidRoomKeyException e) {
                        // Core's lenient reader reports it below, with the rest of the chunk's odd entries.
                    }
                    if (data != null && data.sessionData() != null) {
                        chunk.add(roomId, sessionId, data);
                    } else {
                        chunk.odd(roomId, sessionId, entry);
                    }
                    if (chunk.size >= this.chunk) {
                        decryptor.submit(chunk);
                        chunk = new Chunk();
                    }
                }
            }
        }
        decryptor.submit(chunk);
    }

    /**
     * The second stage: decrypts and imports one chunk on its own thread while the next is read off the wire.
     * One chunk waits at most, so memory stays at about three chunks; chunks are imported in order, one
     * import (one transaction) each. Closing waits for the chunk in hand, so nothing writes after
     * {@link #restore} returned or threw.
     */
    private final class Decryptor implements AutoCloseable {
        private final ExecutorService thread = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("panolm-backup-restore").factory());
        private final BackupVersion version;
        private final boolean trusted;
        private final BackupDecryptionKey key;
        private final SessionFilter filter;
        private final Totals totals;
        private Future<?> inHand;

        Decryptor(BackupVersion version, boolean trusted, BackupDecryptionKey key, SessionFilter filter,
                  Totals totals) {
            this.version = version;
            this.trusted = trusted;
            this.key = key;
            this.filter = filter;
            this.totals = totals;
        }

        void submit(Chunk chunk) throws IOException {
            if (chunk.size == 0) return;
            finish();
            inHand = thread.submit(() -> {
                flush(chunk, version, trusted, key, filter, totals);
                return null;
            });
        }

        /** Waits for the chunk in hand; its failure is thrown here. */
        void finish() throws IOException {
            Future<?> f = inHand;
            if (f == null) return;
            inHand = null;
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("backup restore: cancelled");
            } catch (ExecutionException e) {
                switch (e.getCause()) {
                    case IOException io -> throw io;
                    case RuntimeException r -> throw r;
                    case Error err -> throw err;
                    default -> throw new IllegalStateException("restoring a chunk failed", e.getCause());
                }
            }
        }

        @Override
        public void close() {
            Future<?> f = inHand;
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

    /** Up to {@link #chunk} sessions; entries that did not map are kept as JSON for core's precise report. */
    private final class Chunk {
        final Map<String, Map<String, KeyBackupData>> rooms = new LinkedHashMap<>();
        final ObjectNode odd = client.json().createObjectNode();
        int size;

        void add(String roomId, String sessionId, KeyBackupData data) {
            rooms.computeIfAbsent(roomId, r -> new LinkedHashMap<>()).put(sessionId, data);
            size++;
        }

        void odd(String roomId, String sessionId, JsonNode value) {
            if (sessionId == null) {
                odd.set(roomId, value);
            } else {
                JsonNode room = odd.get(roomId);
                ObjectNode r = room instanceof ObjectNode o ? o : odd.putObject(roomId);
                JsonNode sessions = r.get("sessions");
                (sessions instanceof ObjectNode s ? s : r.putObject("sessions")).set(sessionId, value);
            }
            size++;
        }
    }

    private void flush(Chunk chunk, BackupVersion version, boolean trusted, BackupDecryptionKey key,
                       SessionFilter filter, Totals totals) throws IOException {
        if (!chunk.rooms.isEmpty()) {
            Map<String, RoomKeyBackup> rooms = new LinkedHashMap<>();
            chunk.rooms.forEach((room, sessions) -> rooms.put(room, new RoomKeyBackup(sessions)));
            RoomKeysBody body = new RoomKeysBody(rooms);
            totals.read += body.sessionCount();
            importResult(version.version(), key.restore(version, trusted, body, filter), filter, totals);
        }
        if (!chunk.odd.isEmpty()) {
            ObjectNode root = client.json().createObjectNode();
            root.set("rooms", chunk.odd);
            // Core's lenient reader reports each malformed entry by room, session and field.
            RoomKeysBody body = RoomKeysBody.fromJson(client.json().writeValueAsBytes(root));
            totals.read += body.sessionCount() + body.malformed().size();
            importResult(version.version(), key.restore(version, trusted, body, filter), filter, totals);
        }
    }

    private void importResult(String version, RestoreResult result, SessionFilter filter, Totals totals) {
        ImportSummary s = target.importFromBackup(version, result.keys(), filter);
        totals.restored += result.keys().size();
        totals.added += s.added();
        totals.improved += s.improved();
        result.failures().forEach(totals::fail);
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

    private static PanolmException bad(String what) {
        return new PanolmException(Status.BAD_EVENT, "GET /room_keys/keys: " + what);
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
