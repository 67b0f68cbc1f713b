package org.panolm.keystore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.panolm.Status;
import org.panolm.backup.BackupDecryptionKey;
import org.panolm.export.ExportedRoomKey;
import org.panolm.export.RoomKeyExport;
import org.panolm.megolm.BatchResults;
import org.panolm.megolm.BulkDecryptor;
import org.panolm.megolm.ExportedSessionKey;
import org.panolm.megolm.KeyProvenance;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.MegolmOutboundSession;
import org.panolm.megolm.PreparedBatch;
import org.panolm.recovery.Passphrase;

/**
 * Issue 12, "Room keys: provenance and merging": a forged copy of a session (the right session id and
 * signing key, index 0, a random ratchet), arriving from a backup, an export file or a forwarded key,
 * used to replace a genuine copy at a higher index, after which every genuine event failed with BAD_MAC,
 * whichever copy came first. Now the two do not connect, so both are kept, and every genuine event
 * decrypts, through the genuine copy, whose provenance the result reports.
 */
class NoForgedCopyCostsADecryptionTest {
    private static final String ROOM = "!room:example.org";
    private static final String SENDER = "3C5BFWi2Y8MaVvjM8M22DBmh24PmgR0nPvJOIArzgyI";
    private static final String CLAIMED = "JGLn/yafz74HRzd0MXvLmPCa4ZRgB5+DuvOXiVxDK9c";

    @TempDir
    Path dir;

    /**
     * @param source        how the copies arrive: backup, file or forwarded
     * @param genuineFirst  whether the genuine copy arrives before the forged one
     * @param genuineOverOlm whether the genuine copy came from its sender over Olm (authenticated) rather
     *                       than through the same kind of source as the forged one
     */
    @ParameterizedTest(name = "{0}, genuine first: {1}, genuine over Olm: {2}")
    @CsvSource({"backup,true,false", "backup,false,false", "file,true,false", "file,false,false",
            "forwarded,true,false", "forwarded,false,false",
            "backup,false,true", "file,false,true", "forwarded,false,true"})
    void aForgedCopyNeverCostsADecryption(String source, boolean genuineFirst, boolean genuineOverOlm) throws Exception {
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession creator = MegolmInboundSession.create(out.sessionKey());
             KeyStore store = KeyStore.inMemory()) {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                events.add(event(i, out.sessionId(), out.encrypt(
                        "{\"room_id\":\"" + ROOM + "\",\"type\":\"m.room.message\",\"content\":{\"body\":\"" + i + "\"}}")));
            }
            ExportedRoomKey genuine = key(creator.exportAt(5));
            ExportedRoomKey forged = RoomKeyFixtures.forged(genuine, 0);

            KeyProvenance genuineProvenance = null;
            List<ExportedRoomKey> order = genuineFirst ? List.of(genuine, forged) : List.of(forged, genuine);
            for (int n = 0; n < 2; n++) {
                ExportedRoomKey k = order.get(n);
                if (k == genuine && genuineOverOlm) {
                    genuineProvenance = RoomKeyFixtures.AUTHENTICATED;
                    store.importKeys(List.of(RoomKeyRecord.of(k, genuineProvenance, 0)));
                    continue;
                }
                KeyProvenance p = deliver(source, k, n, store);
                if (k == genuine) genuineProvenance = p;
            }

            SessionRef ref = new SessionRef(ROOM, genuine.sessionId());
            assertEquals(2, store.copies(ref).size(), "both copies are kept");
            assertEquals(List.of(ref), store.conflicts(), "and the conflict is visible");
            if (genuineOverOlm) {
                assertEquals(genuineProvenance, store.get(ref).orElseThrow().provenance(), "the authenticated copy is kept first");
            }

            try (RoomKeySessions sessions = RoomKeySessions.of(store, SessionFilter.all());
                 PreparedBatch batch = PreparedBatch.create(events.size())) {
                for (String e : events) batch.addEvent(e, sessions);
                BatchResults r = new BulkDecryptor(2).decrypt(batch);
                for (int i = 5; i < 10; i++) {
                    assertTrue(r.isOk(i), "genuine event " + i + ": " + r.error(i));
                    assertEquals("{\"room_id\":\"" + ROOM + "\",\"type\":\"m.room.message\",\"content\":{\"body\":\"" + i + "\"}}",
                            r.plaintextString(i));
                    assertEquals(genuineProvenance, r.provenance(i), "the result names the copy that decrypted it");
                    assertEquals(genuineOverOlm ? 0 : 1, r.copyIndex(i));
                }
                for (int i = 0; i < 5; i++) {
                    assertFalse(r.isOk(i), "no copy decrypts event " + i + " (the genuine one starts at 5)");
                    assertTrue(r.status(i) == Status.BAD_MAC || r.status(i) == Status.UNKNOWN_INDEX, r.status(i)::name);
                    assertEquals(1, r.otherCopiesFailed(i));
                }
            }
        }
    }

    private static ExportedRoomKey key(ExportedSessionKey k) {
        return new ExportedRoomKey(ExportedRoomKey.MEGOLM_V1, ROOM, SENDER, k.sessionId(), k.toBase64(),
                Map.of("ed25519", CLAIMED), List.of(), null);
    }

    /** Brings one copy into the store the way {@code source} does; returns the provenance it gets. */
    private KeyProvenance deliver(String source, ExportedRoomKey key, int n, KeyStore store) throws Exception {
        switch (source) {
            case "backup" -> {
                try (BackupDecryptionKey backupKey = BackupDecryptionKey.generate()) {
                    var body = backupKey.publicKey().encrypt(List.of(RoomKeyRecord.of(key, KeyProvenance.UNKNOWN, 0)));
                    var provenance = new KeyProvenance.RestoredFromBackup("v" + n, false);
                    var restored = backupKey.decrypt(body, SessionFilter.all(), 1, provenance);
                    assertEquals(List.of(), restored.failures());
                    store.importFromBackup("v" + n, restored.keys(), SessionFilter.all());
                    return provenance;
                }
            }
            case "file" -> {
                Path file = dir.resolve("keys-" + n + ".txt");
                try (Passphrase p = Passphrase.of("passphrase"); OutputStream o = Files.newOutputStream(file)) {
                    RoomKeyExport.export(List.of(key), SessionFilter.all(), p, 1000, o);
                }
                var provenance = new KeyProvenance.ImportedFromFile(file.getFileName().toString(), null);
                List<RoomKeyRecord> read = new ArrayList<>();
                try (Passphrase p = Passphrase.of("passphrase")) {
                    RoomKeyExport.importFileWithProvenance(file, p, SessionFilter.all(), (k, got) -> {
                        assertEquals(provenance, got);
                        read.add(RoomKeyRecord.of(k, got, 0));
                    });
                }
                store.importKeys(read);
                return provenance;
            }
            case "forwarded" -> {
                var provenance = new KeyProvenance.Forwarded("@me:example.org", "PHONE", SENDER, true, List.of());
                store.importKeys(List.of(RoomKeyRecord.of(key, provenance, 1)));
                return provenance;
            }
            default -> throw new IllegalArgumentException(source);
        }
    }

    private static String event(int i, String sessionId, String ciphertext) {
        return "{\"type\":\"m.room.encrypted\",\"event_id\":\"$e" + i + "\",\"room_id\":\"" + ROOM
                + "\",\"sender\":\"@alice:example.org\",\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\","
                + "\"session_id\":\"" + sessionId + "\",\"ciphertext\":\"" + ciphertext + "\"}}";
    }
}
