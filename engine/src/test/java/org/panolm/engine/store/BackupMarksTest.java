package org.panolm.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.megolm.KeyProvenance;

/** Which room keys are in which backup version: paged, kept across a reopen, cleared by a better copy. */
class BackupMarksTest {
    private static final byte[] KEY = new byte[32];

    @TempDir
    Path dir;

    private SqliteCryptoStore open(Path file) {
        return SqliteCryptoStore.open(file, StoreKey.of(KEY));
    }

    private static List<RoomKeyRecord> all(CryptoStore store, String version, int page) {
        List<RoomKeyRecord> out = new ArrayList<>();
        long after = 0;
        while (true) {
            long from = after;
            List<PendingBackupKey> next = store.transaction(tx -> tx.notBackedUp(version, from, page));
            if (next.isEmpty()) return out;
            assertTrue(next.size() <= page, "a page holds at most max keys");
            next.forEach(p -> out.add(p.key()));
            after = next.getLast().position();
        }
    }

    @Test
    void marksArePerVersionSurviveAReopenAndAreClearedByABetterCopy() {
        Path file = dir.resolve("marks.db");
        List<RoomKeyRecord> keys = new ArrayList<>();
        for (int i = 0; i < 25; i++) keys.add(TestKeys.roomKey(3, i));
        try (var store = open(file)) {
            store.transaction(tx -> { keys.forEach(tx::addRoomKey); return null; });
            assertEquals(keys, all(store, "1", 4), "every key is pending, in store order, over pages");
            assertEquals(10, (int) store.transaction(tx -> tx.markBackedUp("1", keys.subList(0, 10))));
            assertEquals(0, (int) store.transaction(tx -> tx.markBackedUp("1", keys.subList(0, 10))), "marking twice adds nothing");
        }
        try (var store = open(file)) {
            assertEquals(keys.subList(10, 25), all(store, "1", 7), "marks survive a reopen");
            assertEquals(keys, all(store, "2", 7), "marks are per version");

            // A copy improved since (here: an authenticated one replacing a forwarded one) is pending again.
            RoomKeyRecord k = keys.get(0);
            var forwarded = new KeyProvenance.Forwarded("@b:x", "F", "fwdkey", false, List.of());
            RoomKeyRecord worse = RoomKeyRecord.of(TestKeys.roomKey(4, 0).key(), forwarded, 1);
            store.transaction(tx -> {
                tx.addRoomKey(worse);
                return tx.markBackedUp("1", List.of(worse));
            });
            assertTrue(all(store, "1", 100).stream().noneMatch(r -> r.sessionId().equals(worse.sessionId())));
            store.transaction(tx -> {
                assertEquals(RoomKeyAdded.IMPROVED, tx.addRoomKey(TestKeys.roomKey(4, 0)));
                return null;
            });
            assertTrue(all(store, "1", 100).stream().anyMatch(r -> r.sessionId().equals(worse.sessionId())),
                    "the improved copy must be uploaded again");
            // Marking a copy that is no longer the held one marks nothing.
            assertEquals(0, (int) store.transaction(tx -> tx.markBackedUp("1", List.of(worse))));
            assertTrue(all(store, "1", 100).stream().noneMatch(r -> r.sessionId().equals(k.sessionId())));

            store.transaction(tx -> { tx.forgetBackupVersion("1"); return null; });
            assertEquals(26, all(store, "1", 100).size(), "a forgotten version has no marks");
        }
    }

    @Test
    void aVersion1StoreMigratesAndKeepsItsKeys() throws Exception {
        Path file = dir.resolve("v1.db");
        RoomKeyRecord key = TestKeys.roomKey(5, 1);
        try (var store = open(file)) {
            store.transaction(tx -> tx.addRoomKey(key));
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var s = c.createStatement()) {
            s.executeUpdate("DROP TABLE backup_marks");
            s.executeUpdate("DROP TABLE do_not_store"); // version 3's table: a version 1 file had neither
            s.executeUpdate("UPDATE meta SET value = CAST('1' AS BLOB) WHERE name = 'schema_version'");
        }
        try (var store = open(file)) {
            assertEquals(List.of(key), all(store, "v", 10));
            store.transaction(tx -> tx.markBackedUp("v", List.of(key)));
            assertEquals(List.of(), all(store, "v", 10));
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var s = c.createStatement();
             var rs = s.executeQuery("SELECT value FROM meta WHERE name = 'schema_version'")) {
            rs.next();
            assertEquals(String.valueOf(SqliteCryptoStore.SCHEMA_VERSION), new String(rs.getBytes(1)));
        }
    }
}
