package org.panolm.client.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.backup.BackupVersion;
import org.panolm.client.backup.SecureBackupTest.Device;
import org.panolm.engine.store.SqliteCryptoStore;
import org.panolm.engine.store.StoreKey;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;
import org.panolm.megolm.KeyProvenance;
import org.panolm.testkit.TestHomeserverExtension;

/**
 * Upload and restore on the engine's own store: its marks say which sessions are in which version, so a restart
 * resumes with nothing sent twice, and a restore writes each chunk into it as it completes.
 */
class EngineStoreBackupTest {
    @RegisterExtension
    static final TestHomeserverExtension SERVER = SecureBackupTest.SERVER;

    @AfterEach
    void noRequestWasRejectedBySpec() {
        assertEquals(List.of(), SERVER.server().rejectedRequests());
    }

    private static final byte[] STORE_KEY = new byte[32];

    private static SqliteCryptoStore open(Path file) {
        return SqliteCryptoStore.open(file, StoreKey.of(STORE_KEY));
    }

    private static void add(SqliteCryptoStore store, List<RoomKeyRecord> keys) {
        store.transaction(tx -> {
            keys.forEach(tx::addRoomKey);
            return null;
        });
    }

    /** Counts what the uploader reads and sends: no batch may exceed the batch size. */
    private static UploadSource counting(UploadSource inner, int batch, AtomicInteger largest) {
        return new UploadSource() {
            @Override
            public Cursor pending(String version, SessionFilter filter) {
                Cursor c = inner.pending(version, filter);
                return max -> {
                    List<RoomKeyRecord> next = c.next(max);
                    largest.accumulateAndGet(next.size(), Math::max);
                    assertTrue(next.size() <= batch, "a batch is read at a time");
                    return next;
                };
            }

            @Override
            public void uploaded(String version, List<RoomKeyRecord> sent) {
                inner.uploaded(version, sent);
            }
        };
    }

    @Test
    void aRestartMidUploadResumesFromTheStoresMarksWithNothingSentTwice(@TempDir Path dir) {
        Path file = dir.resolve("crypto.db");
        List<RoomKeyRecord> keys = TestKeys.random(530, 5);
        try (var store = open(file)) {
            add(store, keys);
        }
        try (Device d = Device.register()) {
            SetupResult setup = d.backup().setUpWithSecurityKey(SecureBackupTest.PASSWORD);
            AtomicInteger sent = new AtomicInteger();
            AtomicInteger largest = new AtomicInteger();
            try (UnlockedSecrets secrets = setup.secrets()) {
                try (var store = open(file)) {
                    BackupUploader uploader = new BackupUploader(d.client(),
                            counting(UploadSource.of(store), 100, largest), 100, SessionFilter.all());
                    uploader.onBatch((v, n) -> {
                        if (sent.addAndGet(n) >= 200) throw new IllegalStateException("the process dies");
                    });
                    assertThrows(IllegalStateException.class, () -> uploader.keepCurrent(d.backup(), secrets));
                }
                assertEquals(200, sent.get());
                // The restart: only the store as committed.
                try (var store = open(file)) {
                    BackupUploader uploader = new BackupUploader(d.client(),
                            counting(UploadSource.of(store), 100, largest), 100, SessionFilter.all());
                    uploader.onBatch((v, n) -> sent.addAndGet(n));
                    UploadOutcome outcome = uploader.keepCurrent(d.backup(), secrets);
                    assertEquals(UploadOutcome.State.UP_TO_DATE, outcome.state());
                    assertEquals(330, outcome.sessionsUploaded());

                    // A key that arrives later is the only one sent next time.
                    add(store, TestKeys.random(1, 1));
                    assertEquals(1, uploader.keepCurrent(d.backup(), secrets).sessionsUploaded());
                    assertEquals(0, uploader.keepCurrent(d.backup(), secrets).sessionsUploaded());
                }
                assertEquals(531, sent.get(), "every session sent exactly once");
                assertEquals(531L, d.backup().currentVersion().orElseThrow().count());
                assertEquals(100, largest.get());
            }
        }
    }

    @Test
    void aFilteredOutSessionIsSkippedWithoutStallingTheRound(@TempDir Path dir) {
        List<RoomKeyRecord> keys = TestKeys.random(120, 4);
        String secretRoom = keys.getFirst().roomId();
        long kept = keys.stream().filter(k -> !k.roomId().equals(secretRoom)).count();
        try (var store = open(dir.resolve("crypto.db")); Device d = Device.register()) {
            add(store, keys);
            SetupResult setup = d.backup().setUpWithSecurityKey(SecureBackupTest.PASSWORD);
            try (UnlockedSecrets secrets = setup.secrets()) {
                BackupUploader uploader = new BackupUploader(d.client(), UploadSource.of(store), 7,
                        (room, session) -> !room.equals(secretRoom));
                assertEquals(kept, uploader.keepCurrent(d.backup(), secrets).sessionsUploaded());
                assertEquals(0, uploader.keepCurrent(d.backup(), secrets).sessionsUploaded());
                assertEquals(kept, d.backup().currentVersion().orElseThrow().count());
            }
        }
    }

    @Test
    void doNotStoreSessionsAndRoomsNeverReachTheServersBackup(@TempDir Path dir) {
        List<RoomKeyRecord> keys = TestKeys.random(90, 6);
        RoomKeyRecord flaggedSession = keys.get(4); // room 4; the last key is in room 5
        String flaggedRoom = keys.getLast().roomId();
        List<RoomKeyRecord> kept = keys.stream()
                .filter(k -> k != flaggedSession && !k.roomId().equals(flaggedRoom)).toList();
        assertTrue(kept.size() < keys.size() - 1, "the flagged room holds more than one session");
        String userId;
        String securityKey;
        try (var store = open(dir.resolve("first.db")); Device d = Device.register()) {
            userId = d.userId();
            add(store, keys);
            store.transaction(tx -> {
                tx.markDoNotStore(flaggedSession.roomId(), flaggedSession.sessionId());
                return tx.markRoomDoNotStore(flaggedRoom);
            });
            SetupResult setup = d.backup().setUpWithSecurityKey(SecureBackupTest.PASSWORD);
            securityKey = setup.securityKey();
            try (UnlockedSecrets secrets = setup.secrets()) {
                BackupUploader uploader = new BackupUploader(d.client(), UploadSource.of(store), 10, SessionFilter.all());
                assertEquals(kept.size(), uploader.keepCurrent(d.backup(), secrets).sessionsUploaded());
                assertEquals(0, uploader.keepCurrent(d.backup(), secrets).sessionsUploaded(), "nothing left pending");
                assertEquals(kept.size(), d.backup().currentVersion().orElseThrow().count());
            }
        }
        // What the server holds, read back on a new device: every kept key and none of the flagged ones.
        try (Device second = Device.login(userId); var store = open(dir.resolve("second.db"));
             UnlockedSecrets secrets = second.backup().unlock(securityKey)) {
            BackupVersion current = second.backup().currentVersion().orElseThrow();
            RestoreSummary summary = new BackupRestorer(second.client(), RestoreTarget.of(store), 32)
                    .restore(current, true, secrets.backupKey().orElseThrow(), SessionFilter.all());
            assertEquals(kept.size(), summary.restored());
            assertTrue(store.transaction(tx -> tx.roomKeys(flaggedSession.roomId(), flaggedSession.sessionId())).isEmpty());
            for (RoomKeyRecord k : keys) {
                boolean held = !store.transaction(tx -> tx.roomKeys(k.roomId(), k.sessionId())).isEmpty();
                assertEquals(kept.contains(k), held, "session " + k.sessionId() + " of " + k.roomId());
            }
        }
    }

    @Test
    void aRestoreWritesEachChunkIntoTheStoreAndMarksItAsInThatVersion(@TempDir Path dir) {
        List<RoomKeyRecord> keys = TestKeys.random(350, 7);
        String userId;
        BackupVersion version;
        String securityKey;
        try (Device first = Device.register(); var source = open(dir.resolve("first.db"))) {
            userId = first.userId();
            add(source, keys);
            SetupResult setup = first.backup().setUpWithSecurityKey(SecureBackupTest.PASSWORD);
            securityKey = setup.securityKey();
            version = setup.version();
            try (UnlockedSecrets secrets = setup.secrets()) {
                assertEquals(350, new BackupUploader(first.client(), UploadSource.of(source), 1000, SessionFilter.all())
                        .keepCurrent(first.backup(), secrets).sessionsUploaded());
            }
        }
        try (Device second = Device.login(userId); var store = open(dir.resolve("second.db"));
             UnlockedSecrets secrets = second.backup().unlock(securityKey)) {
            BackupVersion current = second.backup().currentVersion().orElseThrow();
            assertEquals(version.version(), current.version());
            RestoreTarget into = RestoreTarget.of(store);
            List<Integer> chunks = new ArrayList<>();
            RestoreTarget watching = (v, got, filter) -> {
                chunks.add(got.size());
                // Streaming: each chunk is in the store before the next is read.
                long held = store.transaction(tx -> tx.roomKeyCount());
                assertEquals(chunks.stream().mapToInt(Integer::intValue).sum() - got.size(), held);
                return into.importFromBackup(v, got, filter);
            };
            RestoreSummary summary = new BackupRestorer(second.client(), watching, 64)
                    .restore(current, true, secrets.backupKey().orElseThrow(), SessionFilter.all());
            assertEquals(350, summary.restored());
            assertEquals(350, summary.added());
            assertTrue(chunks.size() >= 6 && chunks.stream().allMatch(n -> n <= 64), "chunks of at most 64: " + chunks);
            for (RoomKeyRecord k : keys) {
                RoomKeyRecord got = store.transaction(tx -> tx.roomKeys(k.roomId(), k.sessionId())).getFirst();
                assertEquals(k.key().sessionKey(), got.key().sessionKey());
                assertEquals(new KeyProvenance.RestoredFromBackup(current.version(), true), got.provenance());
            }
            // Restored keys are already in that version: the upload queue has nothing to send back.
            assertEquals(0, new BackupUploader(second.client(), UploadSource.of(store), 1000, SessionFilter.all())
                    .keepCurrent(second.backup(), secrets).sessionsUploaded());
        }
    }

    @Test
    void anOlderDevicesUploadJournalMovesIntoTheStoreOnce(@TempDir Path dir) throws Exception {
        List<RoomKeyRecord> keys = TestKeys.random(25, 2);
        UploadJournal journal = UploadJournal.in(dir.resolve("journal"));
        journal.append("7", keys.subList(0, 10));
        try (var store = open(dir.resolve("crypto.db"))) {
            add(store, keys);
            assertEquals(10, journal.moveInto(store, "7"));
            try (var files = java.nio.file.Files.list(dir.resolve("journal"))) {
                assertEquals(0, files.count(), "the journal's file is gone once moved");
            }
            assertEquals(0, journal.moveInto(store, "7"));
            List<RoomKeyRecord> pending = store.transaction(tx -> tx.notBackedUp("7", 0, 100)).stream()
                    .map(org.panolm.engine.store.PendingBackupKey::key).toList();
            assertEquals(keys.subList(10, 25), pending);
        }
    }
}
