package org.panolm.keystore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.backup.BackupDecryptionKey;
import org.panolm.backup.RestoreResult;
import org.panolm.backup.RoomKeysBody;
import org.panolm.megolm.KeyProvenance;
import org.panolm.subtle.SecureRandomBytes;

class KeyStoreTest {
    @TempDir
    Path dir;

    private static List<RoomKeyRecord> records(String room, int n) {
        List<RoomKeyRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(RoomKeyFixtures.record(room, 10, UNAUTH, 1));
        return out;
    }

    private static final KeyProvenance AUTH = RoomKeyFixtures.AUTHENTICATED;
    private static final KeyProvenance UNAUTH = RoomKeyFixtures.UNAUTHENTICATED;

    /** The same session as {@code r} at another index, with other metadata. */
    private static RoomKeyRecord with(RoomKeyRecord r, long index, KeyProvenance provenance, long forwarded) {
        return RoomKeyFixtures.at(r, index, provenance, forwarded);
    }

    @Test
    void importsMergeByTheRuleAndCanBeLimitedToRoomsOrSessions() {
        try (KeyStore store = KeyStore.inMemory()) {
            List<RoomKeyRecord> a = records("!a:hs", 3);
            List<RoomKeyRecord> b = records("!b:hs", 2);
            List<RoomKeyRecord> all = new ArrayList<>(a);
            all.addAll(b);
            assertEquals(new ImportSummary(3, 0, 0, 0, 0, 0, 2), store.importKeys(all, SessionFilter.rooms(Set.of("!a:hs"))));
            assertEquals(new ImportSummary(2, 0, 3, 0, 0, 0, 0), store.importKeys(all));
            RoomKeyRecord better = with(a.get(0), 2, UNAUTH, 1);
            RoomKeyRecord worse = with(a.get(1), 20, UNAUTH, 1);
            assertEquals(new ImportSummary(0, 1, 1, 0, 0, 0, 0), store.importKeys(List.of(better, worse)));
            assertEquals(2, store.get(a.get(0).ref()).orElseThrow().firstKnownIndex());
            assertEquals(10, store.get(a.get(1).ref()).orElseThrow().firstKnownIndex());
            // An authenticated copy at a later index keeps the held ratchet and takes the better provenance.
            assertEquals(new ImportSummary(0, 1, 0, 0, 0, 0, 0), store.importKeys(List.of(with(a.get(1), 30, AUTH, 0))));
            RoomKeyRecord merged = store.get(a.get(1).ref()).orElseThrow();
            assertEquals(10, merged.firstKnownIndex());
            assertEquals(AUTH, merged.provenance());
            assertEquals(0, merged.forwardedCount());
            assertEquals(List.of(), store.conflicts());
            assertEquals(b, store.export(SessionFilter.rooms(Set.of("!b:hs"))));
            assertEquals(List.of(a.get(2)), store.export(SessionFilter.sessions(Set.of(a.get(2).ref()))));
            assertEquals(5, store.export(SessionFilter.all()).size());
        }
    }

    @Test
    void incrementalBackupYieldsOnlyNewOrBetterSessionsAndANewVersionStartsOver() {
        try (KeyStore store = KeyStore.inMemory()) {
            List<RoomKeyRecord> first = records("!r:hs", 5);
            store.importKeys(first);
            List<RoomKeyRecord> pending = store.pendingBackup("1");
            assertEquals(5, pending.size());
            store.markBackedUp("1", pending);
            assertEquals(List.of(), store.pendingBackup("1"));

            List<RoomKeyRecord> more = records("!r:hs", 2);
            store.importKeys(more);
            RoomKeyRecord improved = with(first.get(3), 0, UNAUTH, 1);
            store.importKeys(List.of(improved, with(first.get(4), 50, UNAUTH, 1)));
            List<RoomKeyRecord> next = store.pendingBackup("1");
            assertEquals(List.of(improved, more.get(0), more.get(1)), next);
            assertEquals(1, store.pendingBackup("1", SessionFilter.all(), 1).size());
            // An upload of an older copy does not hide a later improvement.
            store.markBackedUp("1", List.of(first.get(3)));
            assertEquals(3, store.pendingBackup("1").size());
            store.markBackedUp("1", next);
            assertEquals(List.of(), store.pendingBackup("1"));

            assertEquals(7, store.pendingBackup("2").size());
            assertEquals(List.of(), store.pendingBackup("1"));
            store.markBackedUp("2", store.pendingBackup("2", SessionFilter.all(), 4));
            assertEquals(3, store.pendingBackup("2").size());
            assertEquals(7, store.pendingBackup("1").size(), "marks of the old version are gone");
        }
    }

    @Test
    void uploadBodyForManyKeysIsOneBatchAndRestoredKeysAreNotUploadedAgain() {
        try (KeyStore store = KeyStore.inMemory(); var backupKey = BackupDecryptionKey.generate()) {
            store.importKeys(records("!big:hs", 1000));
            List<RoomKeyRecord> pending = store.pendingBackup("v9");
            RoomKeysBody body = backupKey.publicKey().encrypt(pending);
            assertEquals(1000, body.sessionCount());
            store.markBackedUp("v9", pending);
            assertEquals(0, store.pendingBackup("v9").size());

            RestoreResult restored = backupKey.decrypt(body);
            assertEquals(1000, restored.keys().size());
            try (KeyStore fresh = KeyStore.inMemory()) {
                ImportSummary s = fresh.importFromBackup("v9", restored.keys(), SessionFilter.all());
                assertEquals(1000, s.added());
                assertEquals(List.of(), fresh.pendingBackup("v9"));
                assertTrue(fresh.export(SessionFilter.all()).stream().noneMatch(RoomKeyRecord::authenticated));
            }
        }
    }

    @Test
    void persistsEncryptedAndReloads() throws IOException {
        Path file = dir.resolve("keys.store");
        byte[] key = SecureRandomBytes.next(32);
        List<RoomKeyRecord> recs = records("!p:hs", 4);
        try (KeyStore store = KeyStore.open(file, key)) {
            assertEquals(0, store.size());
            store.importKeys(recs);
            store.markBackedUp("3", recs.subList(0, 2));
            store.putAccountState("olm_account", new byte[] {1, 2, 3});
            store.save();
        }
        byte[] sealed = Files.readAllBytes(file);
        assertArrayEquals("PNLMKEYS".getBytes(StandardCharsets.US_ASCII), java.util.Arrays.copyOf(sealed, 8));
        String raw = new String(sealed, StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains(recs.get(0).sessionId()), "session ids are encrypted");
        assertFalse(raw.contains(recs.get(0).key().sessionKey().substring(0, 30)));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        try (KeyStore again = KeyStore.open(file, key)) {
            assertEquals(recs, again.export(SessionFilter.all()));
            assertEquals("3", again.backupVersion().orElseThrow());
            assertEquals(2, again.pendingBackup("3").size());
            assertArrayEquals(new byte[] {1, 2, 3}, again.accountState("olm_account").orElseThrow());
        }
    }

    @Test
    void conflictingCopiesAndProvenanceSurviveASaveAndReload() throws IOException {
        Path file = dir.resolve("copies.store");
        byte[] key = SecureRandomBytes.next(32);
        RoomKeyRecord genuine = RoomKeyFixtures.record("!c:hs", 7, AUTH, 0);
        RoomKeyRecord forged = RoomKeyRecord.of(RoomKeyFixtures.forged(genuine.key(), 0),
                new KeyProvenance.ImportedFromFile("keys.txt", new KeyProvenance.RestoredFromBackup("2", true)), 0);
        RoomKeyRecord plain = RoomKeyFixtures.record("!c:hs", 0,
                new KeyProvenance.Forwarded("@me:hs", "PHONE", "curve", true, List.of("a", "b")), 2);
        try (KeyStore store = KeyStore.open(file, key)) {
            ImportSummary s = store.importKeys(List.of(forged, genuine, plain));
            assertEquals(new ImportSummary(2, 0, 0, 1, 0, 0, 0), s);
            store.save();
        }
        try (KeyStore again = KeyStore.open(file, key)) {
            assertEquals(List.of(genuine, forged), again.copies(genuine.ref()), "authenticated first, both kept");
            assertEquals(List.of(plain), again.copies(plain.ref()));
            assertEquals(List.of(genuine.ref()), again.conflicts());
            assertEquals(List.of(genuine, plain), again.export(SessionFilter.all()), "exports hold the best copy");
        }
    }

    /** A key from a verified device is uploaded once, not again on every round, across a reload too. */
    @Test
    void aVerifiedKeyIsUploadedOnceAndATrustUpgradeIsUploadedAgain() throws IOException {
        Path file = dir.resolve("verified.store");
        byte[] key = SecureRandomBytes.next(32);
        KeyProvenance verified = new KeyProvenance.ReceivedOverOlm("@a:hs", "A", "curve", KeyProvenance.DeviceCheck.VERIFIED);
        RoomKeyRecord matching = RoomKeyFixtures.record("!v:hs", 4, AUTH, 0);
        try (KeyStore store = KeyStore.open(file, key)) {
            store.importKeys(List.of(matching));
            store.markBackedUp("1", store.pendingBackup("1"));
            assertEquals(List.of(), store.pendingBackup("1"));
            store.importKeys(List.of(RoomKeyFixtures.at(matching, 4, verified, 0)));
            List<RoomKeyRecord> upgraded = store.pendingBackup("1");
            assertEquals(1, upgraded.size(), "the verified copy goes up (is_verified changes)");
            assertEquals(verified, upgraded.get(0).provenance());
            store.markBackedUp("1", upgraded);
            assertEquals(List.of(), store.pendingBackup("1"));
            store.save();
        }
        try (KeyStore again = KeyStore.open(file, key)) {
            assertEquals(List.of(), again.pendingBackup("1"));
        }
    }

    @Test
    void aStoreWrittenBeforeProvenanceLoadsItsKeysAsUnknown() throws IOException {
        Path file = dir.resolve("old.store");
        byte[] key = SecureRandomBytes.next(32);
        RoomKeyRecord r = RoomKeyFixtures.record("!o:hs", 3, UNAUTH, 1);
        String old = "{\"sessions\":[{\"key\":" + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(r.key())
                + ",\"first_known_index\":3,\"verified\":true,\"forwarded_count\":1,"
                + "\"backed_up\":{\"first_known_index\":3,\"verified\":false,\"forwarded_count\":1}}],"
                + "\"backup_version\":\"5\"}";
        Files.write(file, KeyStoreFile.seal(key, old.getBytes(StandardCharsets.UTF_8)));
        try (KeyStore store = KeyStore.open(file, key)) {
            RoomKeyRecord loaded = store.get(r.ref()).orElseThrow();
            assertEquals(KeyProvenance.UNKNOWN, loaded.provenance(), "an old \"verified\" flag is not trusted");
            assertFalse(loaded.authenticated());
            assertEquals(List.of(), store.pendingBackup("5"), "the upload marks are read");
        }
    }

    @Test
    void wrongKeyCorruptionTruncationAndForeignFilesArePreciseErrors() throws IOException {
        Path file = dir.resolve("k");
        byte[] key = SecureRandomBytes.next(32);
        try (KeyStore store = KeyStore.open(file, key)) {
            store.importKeys(records("!e:hs", 2));
            store.save();
        }
        assertEquals(Status.BAD_MAC, assertThrows(PanolmException.class,
                () -> KeyStore.open(file, SecureRandomBytes.next(32))).status());
        byte[] good = Files.readAllBytes(file);
        for (int at : new int[] {9, 20, 60, good.length - 1}) {
            byte[] bad = good.clone();
            bad[at] ^= 0x40;
            Files.write(file, bad);
            Status s = assertThrows(PanolmException.class, () -> KeyStore.open(file, key)).status();
            assertEquals(at == 9 ? Status.BAD_VERSION : Status.BAD_MAC, s, "flipped byte " + at);
        }
        Files.write(file, java.util.Arrays.copyOf(good, good.length - 5));
        assertEquals(Status.TRUNCATED, assertThrows(PanolmException.class, () -> KeyStore.open(file, key)).status());
        Files.write(file, java.util.Arrays.copyOf(good, 30));
        assertEquals(Status.TRUNCATED, assertThrows(PanolmException.class, () -> KeyStore.open(file, key)).status());
        Files.writeString(file, "not a key store at all, just some text of sufficient length for a header....");
        assertEquals(Status.BAD_MESSAGE_FORMAT, assertThrows(PanolmException.class, () -> KeyStore.open(file, key)).status());
        assertEquals(Status.BAD_KEY, assertThrows(PanolmException.class, () -> KeyStore.open(file, new byte[16])).status());
    }

    @Test
    void aWriteThatFailsHalfWayLeavesTheOldFileIntact() throws IOException {
        Path file = dir.resolve("crash.store");
        byte[] key = SecureRandomBytes.next(32);
        List<RoomKeyRecord> before = records("!c:hs", 3);
        try (KeyStore store = KeyStore.open(file, key)) {
            store.importKeys(before);
            store.save();
        }
        byte[] old = Files.readAllBytes(file);
        try (KeyStore store = KeyStore.open(file, key)) {
            store.importKeys(records("!c:hs", 5));
            AtomicFile.Writer crashing = (channel, data) -> {
                data.limit(data.limit() / 2);
                while (data.hasRemaining()) channel.write(data);
                throw new IOException("disk full (simulated)");
            };
            assertThrows(UncheckedIOException.class, () -> store.save(crashing));
        }
        assertArrayEquals(old, Files.readAllBytes(file));
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList(), "no temporary file is left behind");
        }
        try (KeyStore store = KeyStore.open(file, key)) {
            assertEquals(before, store.export(SessionFilter.all()));
        }
    }

    @Test
    void aTemporaryFileLeftByAKilledProcessDoesNotMatter() throws IOException {
        Path file = dir.resolve("killed.store");
        byte[] key = SecureRandomBytes.next(32);
        try (KeyStore store = KeyStore.open(file, key)) {
            store.importKeys(records("!k:hs", 2));
            store.save();
        }
        // What a process killed between writing and renaming leaves: a partial temporary file.
        Files.write(dir.resolve(".killed.store.123.tmp"), ByteBuffer.allocate(40).array());
        try (KeyStore store = KeyStore.open(file, key)) {
            assertEquals(2, store.size());
            store.importKeys(records("!k:hs", 1));
            store.save();
        }
        try (KeyStore store = KeyStore.open(file, key)) {
            assertEquals(3, store.size());
        }
    }

    @Test
    void closeWipesAndForbidsUse() {
        KeyStore store = KeyStore.inMemory();
        store.importKeys(records("!z:hs", 1));
        assertFalse(store.toString().contains(store.export(SessionFilter.all()).get(0).key().sessionKey()));
        store.close();
        store.close();
        assertThrows(IllegalStateException.class, store::size);
        assertThrows(IllegalStateException.class, () -> store.pendingBackup("1"));
    }
}
