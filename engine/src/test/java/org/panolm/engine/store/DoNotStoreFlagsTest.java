package org.panolm.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.megolm.KeyProvenance;

/** The do-not-store flags in the store: kept across a reopen, never cleared by a new copy, migrated from v2. */
class DoNotStoreFlagsTest {
    private static final byte[] KEY = new byte[32];

    @TempDir
    Path dir;

    private SqliteCryptoStore open(Path file) {
        return SqliteCryptoStore.open(file, StoreKey.of(KEY));
    }

    private static List<String> pending(CryptoStore store) {
        return store.transaction(tx -> tx.notBackedUp("v", 0, 1000)).stream().map(p -> p.key().sessionId()).toList();
    }

    @Test
    void aFlagSurvivesAReopenAndABetterOrWorseCopyOfItsSession() {
        Path file = dir.resolve("flags.db");
        var forwarded = new KeyProvenance.Forwarded("@b:x", "F", "fwdkey", false, List.of());
        RoomKeyRecord worse = RoomKeyRecord.of(TestKeys.roomKey(4, 0).key(), forwarded, 1);
        RoomKeyRecord better = TestKeys.roomKey(4, 0);
        RoomKeyRecord other = TestKeys.roomKey(4, 1);
        try (var store = open(file)) {
            store.transaction(tx -> {
                tx.addRoomKey(worse);
                tx.addRoomKey(other);
                assertTrue(tx.markDoNotStore(worse.roomId(), worse.sessionId()));
                assertFalse(tx.markDoNotStore(worse.roomId(), worse.sessionId()), "already flagged");
                return null;
            });
            assertEquals(List.of(other.sessionId()), pending(store));
        }
        try (var store = open(file)) {
            store.transaction(tx -> {
                assertTrue(tx.doNotStore(worse.roomId(), worse.sessionId()), "kept across a reopen");
                assertEquals(RoomKeyAdded.IMPROVED, tx.addRoomKey(better), "a better copy without the flag");
                assertTrue(tx.doNotStore(better.roomId(), better.sessionId()), "does not clear it");
                return null;
            });
            assertEquals(List.of(other.sessionId()), pending(store), "and is not offered for backup");
        }
    }

    @Test
    void aFlaggedRoomFlagsItsHeldAndItsLaterSessions() {
        RoomKeyRecord held = TestKeys.roomKey(6, 0);
        RoomKeyRecord elsewhere = TestKeys.roomKey(6, 1); // another room
        try (var store = open(dir.resolve("room.db"))) {
            store.transaction(tx -> {
                tx.addRoomKey(held);
                return tx.addRoomKey(elsewhere);
            });
            String room = held.roomId();
            store.transaction(tx -> tx.markRoomDoNotStore(room));
            assertTrue((boolean) store.transaction(tx -> tx.doNotStore(room, held.sessionId())));
            assertEquals(List.of(elsewhere.sessionId()), pending(store), "other rooms are untouched");
            RoomKeyRecord later = TestKeys.roomKey(6, 97); // the same room as held
            assertEquals(room, later.roomId());
            store.transaction(tx -> tx.addRoomKey(later));
            assertEquals(List.of(elsewhere.sessionId()), pending(store), "a later session of the room is flagged as it arrives");
        }
    }

    @Test
    void aVersion2StoreMigratesAndKeepsItsKeysAndMarks() throws Exception {
        Path file = dir.resolve("v2.db");
        RoomKeyRecord key = TestKeys.roomKey(5, 1);
        RoomKeyRecord marked = TestKeys.roomKey(5, 2);
        try (var store = open(file)) {
            store.transaction(tx -> {
                tx.addRoomKey(key);
                tx.addRoomKey(marked);
                return tx.markBackedUp("v", List.of(marked));
            });
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var s = c.createStatement()) {
            s.executeUpdate("DROP TABLE do_not_store");
            s.executeUpdate("UPDATE meta SET value = CAST('2' AS BLOB) WHERE name = 'schema_version'");
        }
        try (var store = open(file)) {
            assertEquals(List.of(key.sessionId()), pending(store), "keys and backup marks kept");
            store.transaction(tx -> tx.markDoNotStore(key.roomId(), key.sessionId()));
            assertEquals(List.of(), pending(store));
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var s = c.createStatement();
             var rs = s.executeQuery("SELECT value FROM meta WHERE name = 'schema_version'")) {
            rs.next();
            assertEquals("3", new String(rs.getBytes(1)));
        }
    }
}
