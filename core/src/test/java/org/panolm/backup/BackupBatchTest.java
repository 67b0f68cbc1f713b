package org.panolm.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.export.ExportedRoomKey;
import org.panolm.keystore.RoomKeyFixtures;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;
import org.panolm.keystore.SessionRef;

/** The batch API: thread counts, selective restore, per-entry failures that do not stop the rest. */
class BackupBatchTest {

    private static List<RoomKeyRecord> records(int n) {
        List<RoomKeyRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(RoomKeyFixtures.record("!r" + (i % 4) + ":hs", i, RoomKeyFixtures.UNAUTHENTICATED, 0));
        return out;
    }

    @Test
    void roundTripOnOneAndTwoThreadsWithASelection() {
        List<RoomKeyRecord> records = records(101);
        try (var key = BackupDecryptionKey.generate()) {
            for (int threads : new int[] {1, 2, 0}) {
                RoomKeysBody body = key.publicKey().encrypt(records, threads);
                assertEquals(101, body.sessionCount());
                RoomKeysBody parsed = RoomKeysBody.fromJson(body.toJson());
                RestoreResult all = key.decrypt(parsed, SessionFilter.all(), threads);
                assertEquals(List.of(), all.failures());
                assertEquals(101, all.keys().size());
                for (RoomKeyRecord r : all.keys()) {
                    RoomKeyRecord want = records.stream().filter(x -> x.ref().equals(r.ref())).findFirst().orElseThrow();
                    assertEquals(want.key(), r.key());
                    assertEquals(want.firstKnownIndex(), r.firstKnownIndex());
                }
                RestoreResult room1 = key.decrypt(parsed, SessionFilter.rooms(Set.of("!r1:hs")), threads);
                assertEquals(25, room1.keys().size());
                assertTrue(room1.keys().stream().allMatch(r -> r.roomId().equals("!r1:hs")));
            }
            SessionRef one = records.get(7).ref();
            RestoreResult single = key.decrypt(key.publicKey().encrypt(records), SessionFilter.sessions(Set.of(one)), 2);
            assertEquals(List.of(one), single.keys().stream().map(RoomKeyRecord::ref).toList());
        }
    }

    @Test
    void emptyBodiesAndSelections() {
        try (var key = BackupDecryptionKey.generate()) {
            RoomKeysBody empty = key.publicKey().encrypt(List.of());
            assertEquals(0, empty.sessionCount());
            assertEquals("{\"rooms\":{}}", new String(empty.toJson()));
            RestoreResult none = key.decrypt(empty);
            assertEquals(0, none.keys().size());
        }
    }

    @Test
    void wrongKeyIsReportedPerEntryAndUpFrontForAVersion() {
        List<RoomKeyRecord> records = records(10);
        try (var key = BackupDecryptionKey.generate(); var other = BackupDecryptionKey.generate()) {
            RoomKeysBody body = key.publicKey().encrypt(records);
            RestoreResult wrong = other.decrypt(body);
            assertEquals(0, wrong.keys().size());
            assertEquals(10, wrong.failures().size());
            for (RestoreFailure f : wrong.failures()) {
                assertEquals(Status.BAD_MAC, f.error().status());
                assertTrue(f.error().getMessage().contains(f.session().sessionId()));
            }
            BackupVersion version = new BackupVersion(BackupVersion.MEGOLM_BACKUP_V1,
                    new BackupAuthData(key.publicKey().toBase64()), "7", 10L, "e");
            var e = assertThrows(PanolmException.class, () -> other.restore(version, body, SessionFilter.all()));
            assertEquals(Status.BAD_KEY, e.status());
            assertTrue(e.getMessage().contains("version 7"));
            assertEquals(10, key.restore(version, body, SessionFilter.all()).keys().size());
            assertTrue(key.matches(version.authData()));
            var otherAlgorithm = new BackupVersion("m.megolm_backup.v2", version.authData(), "8", null, null);
            assertEquals(Status.BAD_VERSION, assertThrows(PanolmException.class,
                    () -> key.restore(otherAlgorithm, body, SessionFilter.all())).status());
        }
    }

    @Test
    void damagedEntriesFailAloneWithTheFieldNamed() {
        List<RoomKeyRecord> records = records(6);
        try (var key = BackupDecryptionKey.generate()) {
            RoomKeysBody body = key.publicKey().encrypt(records);
            Map<String, RoomKeyBackup> rooms = new LinkedHashMap<>(body.rooms());
            RoomKeyRecord a = records.get(0); // room !r0
            RoomKeyRecord b = records.get(4); // room !r0
            RoomKeyRecord c = records.get(1); // room !r1
            RoomKeyRecord d = records.get(5); // room !r1
            Map<String, KeyBackupData> r0 = new LinkedHashMap<>(rooms.get("!r0:hs").sessions());
            KeyBackupData da = r0.get(a.sessionId());
            r0.put(a.sessionId(), new KeyBackupData(0, 0, false,
                    new SessionData(da.sessionData().ephemeral(), "not base64!", da.sessionData().mac())));
            // b's entry filed under another session id: the key inside does not belong there.
            KeyBackupData db = r0.remove(b.sessionId());
            // (The replaced character must differ from a's, or this id would be a's own and overwrite it.)
            char swapped = a.sessionId().charAt(10) == 'X' ? 'Y' : 'X';
            r0.put(a.sessionId().substring(0, 10) + swapped + a.sessionId().substring(11), db);
            rooms.put("!r0:hs", new RoomKeyBackup(r0));
            Map<String, KeyBackupData> r1 = new LinkedHashMap<>(rooms.get("!r1:hs").sessions());
            KeyBackupData dc = r1.get(c.sessionId());
            r1.put(c.sessionId(), new KeyBackupData(0, 0, false, null));
            KeyBackupData dd = r1.get(d.sessionId());
            r1.put(d.sessionId(), new KeyBackupData(0, 0, false,
                    new SessionData(dc.sessionData().ephemeral(), dd.sessionData().ciphertext(), dc.sessionData().mac())));
            rooms.put("!r1:hs", new RoomKeyBackup(r1));

            RestoreResult result = key.decrypt(new RoomKeysBody(rooms));
            assertEquals(2, result.keys().size());
            Map<String, Status> failures = new LinkedHashMap<>();
            result.failures().forEach(f -> failures.put(f.session().sessionId(), f.error().status()));
            assertEquals(Status.BAD_BASE64, failures.get(a.sessionId()));
            assertEquals(Status.BAD_EVENT, failures.get(c.sessionId()));
            assertEquals(4, failures.size());
            assertTrue(failures.containsValue(Status.BAD_KEY), failures::toString);
            // d: c's key material on d's ciphertext: the MAC passes (it covers nothing), CBC garbles the text.
            Status ds = failures.get(d.sessionId());
            assertTrue(ds == Status.BAD_PADDING || ds == Status.BAD_MESSAGE_FORMAT, String.valueOf(ds));
            assertTrue(result.failures().stream().filter(f -> f.session().sessionId().equals(a.sessionId()))
                    .findFirst().orElseThrow().error().getMessage().contains("session_data.ciphertext"));
        }
    }

    @Test
    void plaintextJsonEscapesAndRoundTripsUnusualStrings() {
        ExportedRoomKey base = RoomKeyFixtures.randomKey("!x:hs", 3);
        ExportedRoomKey odd = new ExportedRoomKey(base.algorithm(), base.roomId(), base.senderKey(), base.sessionId(),
                base.sessionKey(), Map.of("ed25519", "q\"uote\\back\nslash\u0001 日本 \uD83D\uDE00"),
                List.of("chain1", "chain2"), Boolean.TRUE);
        try (var key = BackupDecryptionKey.generate()) {
            ExportedRoomKey back = key.decrypt(key.publicKey().encrypt(odd));
            assertEquals(odd.senderClaimedKeys(), back.senderClaimedKeys());
            assertEquals(odd.forwardingCurve25519KeyChain(), back.forwardingCurve25519KeyChain());
            assertEquals(Boolean.TRUE, back.sharedHistory());
            assertEquals(odd.sessionKey(), back.sessionKey());
        }
    }

    @Test
    void nullRoomsAndSessionsInAResponseAreHandled() {
        try (var key = BackupDecryptionKey.generate()) {
            RoomKeysBody body = RoomKeysBody.fromJson(
                    "{\"rooms\":{\"!a:hs\":null,\"!b:hs\":{\"sessions\":{\"s1\":null}},\"!c:hs\":{}}}".getBytes());
            assertEquals(1, body.sessionCount());
            RestoreResult result = key.decrypt(body);
            assertEquals(0, result.keys().size());
            assertEquals(1, result.failures().size());
            assertEquals(Status.BAD_EVENT, result.failures().getFirst().error().status());
            assertEquals(Status.BAD_EVENT, assertThrows(PanolmException.class,
                    () -> RoomKeysBody.fromJson("{\"rooms\":[1]}".getBytes())).status());
        }
    }

    /** Several blocks of {@link BackupBatch#BLOCK}: order, and failures in different blocks, on any thread count. */
    @Test
    void blocksKeepInputOrderAndReportFailuresInOrder() {
        int n = 3 * BackupBatch.BLOCK + 8;
        List<RoomKeyRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) records.add(RoomKeyFixtures.record("!big:hs", i, RoomKeyFixtures.UNAUTHENTICATED, 0));
        List<String> ids = records.stream().map(RoomKeyRecord::sessionId).toList();
        try (var key = BackupDecryptionKey.generate()) {
            for (int threads : new int[] {1, 2, 0}) {
                RoomKeysBody body = key.publicKey().encrypt(records, threads);
                assertEquals(ids, List.copyOf(body.rooms().get("!big:hs").sessions().keySet()));

                Map<String, KeyBackupData> sessions = new LinkedHashMap<>(body.rooms().get("!big:hs").sessions());
                int badBase64 = 3;
                int badMac = BackupBatch.BLOCK + 6;
                int missing = 2 * BackupBatch.BLOCK + 2;
                int badEphemeral = n - 1;
                SessionData other = sessions.get(ids.get(0)).sessionData();
                SessionData sb = sessions.get(ids.get(badBase64)).sessionData();
                sessions.put(ids.get(badBase64), new KeyBackupData(0, 0, false,
                        new SessionData(sb.ephemeral(), "@@@", sb.mac())));
                SessionData sm = sessions.get(ids.get(badMac)).sessionData();
                sessions.put(ids.get(badMac), new KeyBackupData(0, 0, false,
                        new SessionData(sm.ephemeral(), sm.ciphertext(), other.mac())));
                sessions.put(ids.get(missing), new KeyBackupData(0, 0, false, null));
                SessionData se = sessions.get(ids.get(badEphemeral)).sessionData();
                sessions.put(ids.get(badEphemeral), new KeyBackupData(0, 0, false,
                        new SessionData(other.ephemeral(), se.ciphertext(), se.mac())));

                RestoreResult result = key.decrypt(new RoomKeysBody(Map.of("!big:hs", new RoomKeyBackup(sessions))),
                        SessionFilter.all(), threads);
                // Entries that do not decode come first, then those that do not decrypt, each in input order.
                assertEquals(List.of(ids.get(badBase64), ids.get(missing), ids.get(badMac), ids.get(badEphemeral)),
                        result.failures().stream().map(f -> f.session().sessionId()).toList());
                assertEquals(List.of(Status.BAD_BASE64, Status.BAD_EVENT, Status.BAD_MAC, Status.BAD_MAC),
                        result.failures().stream().map(f -> f.error().status()).toList());
                List<String> restored = new ArrayList<>(ids);
                restored.removeAll(List.of(ids.get(badBase64), ids.get(missing), ids.get(badMac), ids.get(badEphemeral)));
                assertEquals(restored, result.keys().stream().map(RoomKeyRecord::sessionId).toList());
                for (RoomKeyRecord r : result.keys()) {
                    assertEquals(records.get(ids.indexOf(r.sessionId())).key(), r.key());
                }
            }
        }
    }

    @Test
    void negativeThreadCountIsRejected() {
        try (var key = BackupDecryptionKey.generate()) {
            assertEquals(Status.INVALID_ARGUMENT, assertThrows(PanolmException.class,
                    () -> key.publicKey().encrypt(records(1), -1)).status());
        }
    }
}
