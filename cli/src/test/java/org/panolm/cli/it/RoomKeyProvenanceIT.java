package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.panolm.backup.BackupDecryptionKey;
import org.panolm.export.ExportedRoomKey;
import org.panolm.export.RoomKeyExport;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;
import org.panolm.megolm.ExportedSessionKey;
import org.panolm.megolm.KeyProvenance;
import org.panolm.recovery.Passphrase;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.testsupport.Peers;

/**
 * Issue 12 through the command: room keys with provenance and merging. A forged copy of every session
 * (right session id, index 0, random ratchet), given in another key file of the same kind, used to replace
 * the genuine keys so that every event failed with BAD_MAC, whichever file came first; a backup entry with
 * an over-long room id stopped the whole run; keys from a backup or an export file were presented like keys
 * received from their sender.
 */
class RoomKeyProvenanceIT {
    @TempDir
    Path dir;

    private final History h = History.get();

    private static List<ExportedRoomKey> keys(ArrayNode json) {
        List<ExportedRoomKey> out = new ArrayList<>();
        json.forEach(k -> out.add(Peers.JSON.convertValue(k, ExportedRoomKey.class)));
        return out;
    }

    /** Each key with the same session id and signing key, at index 0, with a random ratchet. */
    private static List<ExportedRoomKey> forged(List<ExportedRoomKey> genuine) {
        List<ExportedRoomKey> out = new ArrayList<>();
        for (ExportedRoomKey k : genuine) {
            byte[] b = k.exportedSessionKey().bytes();
            ByteBuffer.wrap(b, 1, 4).putInt(0);
            System.arraycopy(SecureRandomBytes.next(128), 0, b, 5, 128);
            out.add(k.withSessionKey(new ExportedSessionKey(b).toBase64()));
        }
        return out;
    }

    /** Writes keys as the given kind of key file; returns the file. */
    private Path keyFile(String kind, String name, List<ExportedRoomKey> keys, BackupDecryptionKey backupKey)
            throws Exception {
        return switch (kind) {
            case "json" -> History.write(dir, name + ".json", Peers.JSON.writeValueAsString(keys));
            case "export" -> {
                var out = new ByteArrayOutputStream();
                try (Passphrase p = Passphrase.of(History.PASSPHRASE)) {
                    RoomKeyExport.export(keys, SessionFilter.all(), p, 1000, out);
                }
                yield History.write(dir, name + ".txt", out.toByteArray());
            }
            case "backup" -> History.write(dir, name + ".backup.json", backupKey.publicKey()
                    .encrypt(keys.stream().map(k -> RoomKeyRecord.of(k, KeyProvenance.UNKNOWN, 0)).toList()).toJson());
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "{0}, genuine first: {1}")
    @CsvSource({"json,true", "json,false", "export,true", "export,false", "backup,true", "backup,false"})
    void aForgedKeyFileNeverCostsADecryption(String kind, boolean genuineFirst) throws Exception {
        List<ExportedRoomKey> genuine = keys(h.keys);
        try (BackupDecryptionKey backupKey = BackupDecryptionKey.generate()) {
            Path good = keyFile(kind, "genuine", genuine, backupKey);
            Path bad = keyFile(kind, "forged", forged(genuine), backupKey);
            Path recovery = History.write(dir, "recovery.txt", backupKey.toRecoveryKey());
            List<String> args = new ArrayList<>(List.of("history", "decrypt", "--keys",
                    (genuineFirst ? good : bad).toString(), "--keys", (genuineFirst ? bad : good).toString()));
            if (kind.equals("backup")) args.addAll(List.of("--recovery-key-file", recovery.toString()));
            Cli.Result r = Cli.run(History.jsonLines(h.events), Map.of("PANOLM_PASSPHRASE", History.PASSPHRASE),
                    args.toArray(String[]::new)).expectExit(2);
            assertTrue(r.stderr().contains("came in copies that do not connect"), r.stderr());
            List<JsonNode> out = History.lines(r.stdout());
            assertEquals(h.events.size(), out.size());
            int ok = 0;
            for (int i = 0; i < out.size(); i++) {
                JsonNode line = out.get(i);
                JsonNode want = h.expected.get(h.events.get(i).get("event_id").asText());
                if (!want.get("status").asText().equals("ok")) continue;
                JsonNode d = line.get("decryption");
                assertEquals("ok", d.get("status").asText(), line.toString());
                assertEquals(want.get("content"), line.get("content"));
                // Which copy decrypted it, and where that copy came from: a key file, never the sender.
                assertEquals(2, d.get("key_copies").asInt(), d.toString());
                assertEquals("unauthenticated", d.get("trust").asText());
                assertFalse(d.get("authenticated").asBoolean());
                JsonNode p = d.get("key_provenance");
                if (kind.equals("backup")) {
                    assertEquals("backup", p.get("source").asText(), p.toString());
                } else {
                    assertEquals("file", p.get("source").asText(), p.toString());
                    assertEquals(good.getFileName().toString(), p.get("file").asText(), "the genuine file decrypted it");
                }
                ok++;
            }
            assertTrue(ok > 50, "the fixture's decryptable events: " + ok);
        }
    }

    /** One backup entry with an over-long room id is one rejected key; the run goes on with the others. */
    @Test
    void anOverLongRoomIdInABackupCostsOnlyItsOwnEntry() throws Exception {
        List<ExportedRoomKey> genuine = new ArrayList<>(keys(h.keys));
        String longRoom = "!" + "x".repeat(300) + ":example.org";
        genuine.add(forged(List.of(genuine.get(0))).get(0).withRoomAndSession(longRoom, genuine.get(0).sessionId()));
        try (BackupDecryptionKey backupKey = BackupDecryptionKey.generate()) {
            Path body = keyFile("backup", "long-room", genuine, backupKey);
            Path recovery = History.write(dir, "recovery.txt", backupKey.toRecoveryKey());
            Cli.Result r = Cli.run(History.jsonLines(h.events), Map.of(), "history", "decrypt", "--keys",
                    body.toString(), "--recovery-key-file", recovery.toString()).expectExit(2);
            assertTrue(r.stderr().contains("room_id is " + longRoom.length() + " bytes long, over the limit of 255"),
                    r.stderr());
            long decrypted = History.lines(r.stdout()).stream()
                    .filter(l -> "ok".equals(l.at("/decryption/status").asText())).count();
            long expected = h.expected.values().stream().filter(w -> w.get("status").asText().equals("ok")).count();
            assertEquals(expected, decrypted);
            // backup restore reports the same entry and restores the rest.
            Cli.Result restore = Cli.run("backup", "restore", "--backup", body.toString(), "--recovery-key-file",
                    recovery.toString(), "--out", "-", "--out-json").expectExit(2);
            assertEquals(h.keys.size(), Peers.JSON.readTree(restore.stdout()).size());
            assertTrue(restore.stderr().contains("room " + longRoom + " session " + genuine.get(0).sessionId()
                    + ": room_id is"), restore.stderr());
        }
    }

    /** Entries of the wrong shape cost only themselves; each is named with its room, session and field. */
    @Test
    void backupEntriesOfTheWrongShapeAreEachReportedAndTheRestRestored() throws Exception {
        List<ExportedRoomKey> genuine = keys(h.keys);
        try (BackupDecryptionKey backupKey = BackupDecryptionKey.generate()) {
            ObjectNode body = (ObjectNode) Peers.JSON.readTree(Files.readString(keyFile("backup", "b", genuine, backupKey)));
            ObjectNode rooms = (ObjectNode) body.get("rooms");
            rooms.put("!broken:example.org", 5);
            ObjectNode sessions = (ObjectNode) rooms.get(genuine.get(0).roomId()).get("sessions");
            ObjectNode wrong = sessions.get(genuine.get(0).sessionId()).deepCopy();
            wrong.put("first_message_index", "seven");
            sessions.set("wrongIndex", wrong);
            Path file = History.write(dir, "shapes.json", body.toString());
            Path recovery = History.write(dir, "recovery.txt", backupKey.toRecoveryKey());
            Cli.Result r = Cli.run("backup", "restore", "--backup", file.toString(), "--recovery-key-file",
                    recovery.toString(), "--out", "-", "--out-json").expectExit(2);
            JsonNode restored = Peers.JSON.readTree(r.stdout());
            Set<String> ids = new TreeSet<>();
            restored.forEach(k -> ids.add(k.get("session_id").asText()));
            Set<String> want = new TreeSet<>();
            genuine.forEach(k -> want.add(k.sessionId()));
            assertEquals(want, ids);
            assertTrue(r.stderr().contains("room " + genuine.get(0).roomId() + " session wrongIndex: "
                    + "first_message_index has the wrong type"), r.stderr());
            assertTrue(r.stderr().contains("room !broken:example.org: the room's entry is not an object"), r.stderr());
            assertFalse(r.stderr().contains("seven"), "values are not echoed");
            // Each restored key says where it came from, as an extra field Element and nio ignore.
            assertEquals("backup", restored.get(0).at("/org.panolm.provenance/source").asText(), restored.get(0).toString());
        }
    }

    /** export encrypt used to write a file no client can import when a key had no room_id. */
    @Test
    void exportEncryptRefusesAKeyNoClientCouldImportAndNamesIt() throws Exception {
        ArrayNode keys = h.keys.deepCopy();
        ((ObjectNode) keys.get(2)).remove("room_id");
        Path in = History.write(dir, "keys.json", keys.toString());
        Path out = dir.resolve("keys.txt");
        Cli.Result r = Cli.run(null, Map.of("PANOLM_PASSPHRASE", "p"), "export", "encrypt", "--in", in.toString(),
                "--out", out.toString(), "--rounds", "1000", "--allow-weak-rounds").expectExit(1);
        assertEquals("panolm: " + in + " key 3 (session " + keys.get(2).get("session_id").asText()
                + "): room_id is missing; no client could import a file holding it", r.lastErrLine());
        KeyFilesIT.assertNoOutput(out);
        ((ObjectNode) keys.get(2)).put("room_id", h.rooms.get(0));
        ((ObjectNode) keys.get(4)).putObject("sender_claimed_keys");
        r = Cli.run(null, Map.of("PANOLM_PASSPHRASE", "p"), "export", "encrypt", "--in",
                History.write(dir, "keys2.json", keys.toString()).toString(), "--out", out.toString(),
                "--rounds", "1000", "--allow-weak-rounds").expectExit(1);
        assertTrue(r.lastErrLine().contains("key 5 (session ") && r.lastErrLine().contains("sender_claimed_keys.ed25519 is missing"),
                r.lastErrLine());
    }
}
