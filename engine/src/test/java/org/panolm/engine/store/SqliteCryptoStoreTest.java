package org.panolm.engine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.megolm.KeyProvenance;

/** The SQLite store: what it keeps survives a reopen, only under the right key, with nothing readable on disk. */
class SqliteCryptoStoreTest {
    private static final byte[] KEY = new byte[32];
    static {
        for (int i = 0; i < KEY.length; i++) KEY[i] = (byte) (i * 7 + 1);
    }

    @TempDir
    Path dir;

    private SqliteCryptoStore open(Path file) {
        return SqliteCryptoStore.open(file, StoreKey.of(KEY));
    }

    @Test
    void everyKindOfRowSurvivesAReopen() {
        Path file = dir.resolve("crypto.db");
        RoomKeyRecord key = TestKeys.roomKey(1, 1);
        try (var store = open(file)) {
            store.transaction(tx -> {
                tx.putValue("account", "pickle-text".getBytes(StandardCharsets.UTF_8));
                tx.putOlmSession(new OlmSessionRecord("curve", "s1", "p1", 1, 5));
                tx.putOlmSession(new OlmSessionRecord("curve", "s2", "p2", 2, 9));
                assertEquals(RoomKeyAdded.NEW, tx.addRoomKey(key));
                tx.putOutboundGroupSession(new OutboundGroupSessionRecord("!r:x", "sid", "skey", "seed", 3, 4,
                        Set.of("@a:x|D|k"), "skey"));
                tx.putDevice(new DeviceRecord("@a:x", "D", "{\"device_id\":\"D\"}", false));
                tx.putIdentity(new IdentityRecord("@a:x", "{}", null, null, true));
                tx.putTrackedUser("@a:x", true);
                assertTrue(tx.markToDeviceProcessed("m1"));
                tx.putPendingRequest(new PendingRequest("r1", "KEYS_UPLOAD", "{}"));
                tx.putPendingRequest(new PendingRequest("r2", "TO_DEVICE", "{\"messages\":{}}"));
                return null;
            });
        }
        try (var store = open(file)) {
            store.transaction(tx -> {
                assertArrayEquals("pickle-text".getBytes(StandardCharsets.UTF_8), tx.value("account").orElseThrow());
                assertEquals(List.of("s2", "s1"), tx.olmSessions("curve").stream().map(OlmSessionRecord::sessionId).toList(),
                        "the most recently used session first");
                assertEquals(List.of(key), tx.roomKeys(key.roomId(), key.sessionId()));
                assertEquals(RoomKeyAdded.UNCHANGED, tx.addRoomKey(key), "the same key again changes nothing");
                assertEquals(4, tx.outboundGroupSession("!r:x").orElseThrow().messageCount());
                assertEquals("D", tx.devices("@a:x").getFirst().deviceId());
                assertTrue(tx.identity("@a:x").orElseThrow().masterKeyVerified());
                assertEquals(true, tx.trackedUsers().get("@a:x"));
                assertFalse(tx.markToDeviceProcessed("m1"), "a redelivered message is recognised");
                assertEquals(List.of("r1", "r2"), tx.pendingRequests().stream().map(PendingRequest::id).toList());
                assertTrue(tx.removePendingRequest("r1"));
                assertFalse(tx.removePendingRequest("r1"));
                return null;
            });
        }
    }

    @Test
    void aBetterCopyImprovesTheHeldOneAndAForgedOneIsKeptBeside() {
        RoomKeyRecord held = TestKeys.roomKey(2, 1);
        var forwarded = new KeyProvenance.Forwarded("@b:x", "F", "fwdkey", false, List.of());
        RoomKeyRecord sameButForwarded = RoomKeyRecord.of(held.key(), forwarded, 1);
        try (var store = open(dir.resolve("merge.db"))) {
            store.transaction(tx -> {
                tx.addRoomKey(sameButForwarded);
                assertEquals(RoomKeyAdded.IMPROVED, tx.addRoomKey(held), "an authenticated copy is better");
                assertEquals(List.of(held), tx.roomKeys(held.roomId(), held.sessionId()));
                return null;
            });
        }
    }

    @Test
    void aWrongKeyOrPassphraseIsRefusedAsSuch() {
        Path file = dir.resolve("k.db");
        open(file).close();
        byte[] other = KEY.clone();
        other[0] ^= 1;
        var e = assertThrows(StoreException.class, () -> SqliteCryptoStore.open(file, StoreKey.of(other)));
        assertEquals(StoreException.Reason.WRONG_KEY, e.reason());
        var p = assertThrows(StoreException.class, () -> SqliteCryptoStore.open(file, StoreKey.passphrase("x".toCharArray())));
        assertEquals(StoreException.Reason.WRONG_KEY, p.reason());

        Path phrased = dir.resolve("p.db");
        try (var store = SqliteCryptoStore.open(phrased, StoreKey.passphrase("correct horse".toCharArray()))) {
            store.transaction(tx -> { tx.putValue("v", new byte[] {1}); return null; });
        }
        assertEquals(StoreException.Reason.WRONG_KEY, assertThrows(StoreException.class,
                () -> SqliteCryptoStore.open(phrased, StoreKey.passphrase("wrong horse".toCharArray()))).reason());
        try (var store = SqliteCryptoStore.open(phrased, StoreKey.passphrase("correct horse".toCharArray()))) {
            assertArrayEquals(new byte[] {1}, store.transaction(tx -> tx.value("v").orElseThrow()));
        }
    }

    @Test
    void theFileHoldsNoSecretAndNoIdInTheClear() throws Exception {
        Path file = dir.resolve("clear.db");
        RoomKeyRecord key = TestKeys.roomKey(3, 1);
        try (var store = open(file)) {
            store.transaction(tx -> {
                tx.addRoomKey(key);
                tx.putOlmSession(new OlmSessionRecord("CURVEKEYMARKER", "SESSIONMARKER", "PICKLEMARKER", 1, 1));
                tx.putTrackedUser("@usermarker:example.org", false);
                return null;
            });
        }
        byte[] all = Files.readAllBytes(file);
        byte[] wal = Files.exists(Path.of(file + "-wal")) ? Files.readAllBytes(Path.of(file + "-wal")) : new byte[0];
        String text = new String(all, StandardCharsets.ISO_8859_1) + new String(wal, StandardCharsets.ISO_8859_1);
        for (String secret : List.of(key.key().sessionKey().substring(0, 40), key.roomId(), key.sessionId(),
                "CURVEKEYMARKER", "SESSIONMARKER", "PICKLEMARKER", "usermarker")) {
            assertFalse(text.contains(secret), "found in the file: a value of " + secret.length() + " chars");
        }
    }

    @Test
    void anAlteredRowIsReportedCorruptNotReturned() throws Exception {
        Path file = dir.resolve("alter.db");
        try (var store = open(file)) {
            store.transaction(tx -> { tx.putValue("account", new byte[] {1, 2, 3}); return null; });
        }
        // Flip one bit of the stored value's last byte: setting it to a constant left it unchanged one run in 256.
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            byte[] stored;
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT v FROM named_values")) {
                assertTrue(rs.next());
                stored = rs.getBytes(1);
            }
            stored[stored.length - 1] ^= 0x01;
            try (var u = c.prepareStatement("UPDATE named_values SET v = ?")) {
                u.setBytes(1, stored);
                assertEquals(1, u.executeUpdate());
            }
        }
        try (var store = open(file)) {
            var e = assertThrows(StoreException.class, () -> store.transaction(tx -> tx.value("account")));
            assertEquals(StoreException.Reason.CORRUPT, e.reason());
        }
    }

    @Test
    void aFailedTransactionLeavesNothingBehind() {
        try (var store = open(dir.resolve("tx.db"))) {
            assertThrows(IllegalStateException.class, () -> store.transaction(tx -> {
                tx.putValue("half", new byte[] {1});
                throw new IllegalStateException("step failed");
            }));
            assertTrue(store.transaction(tx -> tx.value("half")).isEmpty());
        }
    }

    @Test
    void trackedUsersReadAfterAFailedTransactionAreTheCommittedOnes() {
        // The store keeps the tracked users in memory once read; a rollback must not leave its changes there.
        try (var store = open(dir.resolve("tracked.db"))) {
            store.transaction(tx -> {
                tx.putTrackedUser("@a:x", true);
                tx.putTrackedUser("@b:x", false);
                return tx.trackedUsers();
            });
            assertThrows(IllegalStateException.class, () -> store.transaction(tx -> {
                tx.putTrackedUser("@a:x", false);
                tx.putTrackedUser("@c:x", true);
                assertEquals(java.util.Map.of("@a:x", false, "@b:x", false, "@c:x", true), tx.trackedUsers());
                throw new IllegalStateException("step failed");
            }));
            assertEquals(java.util.Map.of("@a:x", true, "@b:x", false), store.transaction(tx -> tx.trackedUsers()));
            // Changed and committed: the cached list and the file agree, in the file's order.
            store.transaction(tx -> {
                tx.putTrackedUser("@a:x", false);
                return null;
            });
            assertEquals(List.of("@b:x", "@a:x"), List.copyOf(store.transaction(tx -> tx.trackedUsers()).keySet()));
        }
        try (var store = open(dir.resolve("tracked.db"))) {
            assertEquals(List.of("@b:x", "@a:x"), List.copyOf(store.transaction(tx -> tx.trackedUsers()).keySet()));
            assertEquals(false, store.transaction(tx -> tx.trackedUsers()).get("@a:x"));
        }
    }

    @Test
    void devicesReadAfterAWriteOrAFailedTransactionAreWhatTheFileHolds() {
        // The store keeps each user's device rows in memory once read: a write must show at once, a rollback
        // must not leave its changes there, and a reopened store reads the same.
        DeviceRecord one = new DeviceRecord("@a:x", "ONE", "{\"v\":1}", false);
        DeviceRecord two = new DeviceRecord("@a:x", "TWO", "{\"v\":2}", false);
        try (var store = open(dir.resolve("devices.db"))) {
            store.transaction(tx -> {
                tx.putDevice(one);
                return tx.devices("@a:x"); // cached here, in the same transaction as the write
            });
            assertEquals(List.of(one), store.transaction(tx -> tx.devices("@a:x")));
            assertThrows(IllegalStateException.class, () -> store.transaction(tx -> {
                tx.putDevice(two);
                tx.putDevice(new DeviceRecord("@a:x", "ONE", "{\"v\":1}", true));
                assertEquals(2, tx.devices("@a:x").size());
                assertTrue(tx.devices("@a:x").stream().anyMatch(DeviceRecord::deleted));
                throw new IllegalStateException("step failed");
            }));
            assertEquals(List.of(one), store.transaction(tx -> tx.devices("@a:x")), "the rollback's rows are gone");
            store.transaction(tx -> {
                tx.putDevice(two);
                return null;
            });
            assertEquals(java.util.Set.of(one, two), java.util.Set.copyOf(store.transaction(tx -> tx.devices("@a:x"))));
            // A caller that changes the list it got changes nothing in the store.
            store.transaction(tx -> tx.devices("@a:x")).clear();
            assertEquals(2, store.transaction(tx -> tx.devices("@a:x")).size());
        }
        try (var store = open(dir.resolve("devices.db"))) {
            assertEquals(java.util.Set.of(one, two), java.util.Set.copyOf(store.transaction(tx -> tx.devices("@a:x"))));
        }
    }

    @Test
    void aSecondOpenerIsToldTheStoreIsInUse() throws Exception {
        Path file = dir.resolve("lock.db");
        try (var store = open(file)) {
            var e = assertThrows(StoreException.class, () -> open(file));
            assertEquals(StoreException.Reason.LOCKED, e.reason());
            Process other = ChildJvm.start(StoreChild.class, "open", file.toString());
            String out = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, other.waitFor());
            assertEquals("LOCKED", out, "another process is refused with LOCKED");
        }
        Process after = ChildJvm.start(StoreChild.class, "open", file.toString());
        assertEquals("OPENED", new String(after.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        assertEquals(0, after.waitFor());
    }

    @Test
    void aNewerSchemaIsRefused() throws Exception {
        Path file = dir.resolve("newer.db");
        open(file).close();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var s = c.createStatement()) {
            s.executeUpdate("UPDATE meta SET value = CAST('99' AS BLOB) WHERE name = 'schema_version'");
        }
        assertEquals(StoreException.Reason.NEWER_SCHEMA, assertThrows(StoreException.class, () -> open(file)).reason());
    }
}
