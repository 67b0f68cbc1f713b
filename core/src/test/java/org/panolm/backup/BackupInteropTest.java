package org.panolm.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.panolm.export.ExportedRoomKey;
import org.panolm.keystore.RoomKeyFixtures;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionRef;
import org.panolm.testsupport.Peers;

/**
 * Both directions against independent implementations: matrix-sdk-crypto-wasm (vodozemac; its whole
 * OlmMachine backup path, its BackupDecryptionKey and PkEncryption) and libolm through python3-olm.
 */
class BackupInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<RoomKeyRecord> records(int n) {
        List<RoomKeyRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(RoomKeyFixtures.record("!room" + (i % 3) + ":example.org", i % 5,
                    i % 2 == 0 ? RoomKeyFixtures.AUTHENTICATED : RoomKeyFixtures.UNAUTHENTICATED, i % 3));
        }
        return out;
    }

    private static List<Map<String, String>> entries(RoomKeysBody body, List<RoomKeyRecord> order) {
        List<Map<String, String>> out = new ArrayList<>();
        for (RoomKeyRecord r : order) {
            SessionData d = body.rooms().get(r.roomId()).sessions().get(r.sessionId()).sessionData();
            out.add(Map.of("ephemeral", d.ephemeral(), "mac", d.mac(), "ciphertext", d.ciphertext()));
        }
        return out;
    }

    private static void assertSamePlaintext(RoomKeyRecord expected, String plaintext) throws Exception {
        ExportedRoomKey got = JSON.readValue(plaintext, ExportedRoomKey.class);
        assertEquals(expected.key().sessionKey(), got.sessionKey());
        assertEquals(expected.key().senderKey(), got.senderKey());
        assertEquals(expected.key().senderClaimedKeys(), got.senderClaimedKeys());
        assertEquals(expected.key().algorithm(), got.algorithm());
    }

    @Test
    void ourBatchBackupDecryptsInVodozemacAndLibolm() throws Exception {
        List<RoomKeyRecord> records = records(24);
        try (var key = BackupDecryptionKey.generate()) {
            RoomKeysBody body = key.publicKey().encrypt(records, 2);
            assertEquals(24, body.sessionCount());
            KeyBackupData first = body.rooms().get(records.get(1).roomId()).sessions().get(records.get(1).sessionId());
            assertEquals(1, first.firstMessageIndex());
            assertEquals(1, first.forwardedCount());
            assertEquals(false, first.isVerified());

            JsonNode wasm = Peers.node("backup/wasm_backup.mjs",
                    Map.of("op", "decrypt", "private_key", key.toBase64(), "entries", entries(body, records)));
            assertEquals(key.publicKey().toBase64(), wasm.get("public_key").asText());
            JsonNode olm = Peers.python("backup_pk.py",
                    Map.of("op", "decrypt", "private_key", key.toBase64(), "messages", entries(body, records)));
            assertEquals(key.publicKey().toBase64(), olm.get("public_key").asText());
            for (int i = 0; i < records.size(); i++) {
                assertTrue(wasm.get("results").get(i).has("plaintext"), () -> "wasm: " + wasm);
                assertSamePlaintext(records.get(i), wasm.get("results").get(i).get("plaintext").asText());
                assertTrue(olm.get("results").get(i).has("plaintext"), () -> "olm: " + olm);
                assertSamePlaintext(records.get(i), olm.get("results").get(i).get("plaintext").asText());
            }
        }
    }

    @Test
    void aSingleEntryAlsoDecryptsInBothPeers() throws Exception {
        RoomKeyRecord r = records(1).getFirst();
        try (var key = BackupDecryptionKey.generate()) {
            SessionData d = key.publicKey().encrypt(r.key());
            var entry = List.of(Map.of("ephemeral", d.ephemeral(), "mac", d.mac(), "ciphertext", d.ciphertext()));
            assertSamePlaintext(r, Peers.node("backup/wasm_backup.mjs", Map.of("op", "decrypt", "private_key",
                    key.toBase64(), "entries", entry)).get("results").get(0).get("plaintext").asText());
            assertSamePlaintext(r, Peers.python("backup_pk.py", Map.of("op", "decrypt", "private_key",
                    key.toBase64(), "messages", entry)).get("results").get(0).get("plaintext").asText());
        }
    }

    @Test
    void vodozemacMachineBackupRestoresInPanolm() throws Exception {
        List<RoomKeyRecord> records = records(25);
        List<ExportedRoomKey> exported = records.stream().map(RoomKeyRecord::key).toList();
        JsonNode out = Peers.node("backup/wasm_backup.mjs", Map.of("op", "backup", "keys", exported));
        Map<SessionRef, RoomKeyRecord> expected = new HashMap<>();
        records.forEach(r -> expected.put(r.ref(), r));
        int restored = 0;
        try (var key = BackupDecryptionKey.fromBase64(out.get("private_key").asText())) {
            assertEquals(out.get("public_key").asText(), key.publicKey().toBase64());
            for (JsonNode bodyJson : out.get("bodies")) {
                RoomKeysBody body = RoomKeysBody.fromJson(JSON.writeValueAsBytes(bodyJson));
                RestoreResult result = key.decrypt(body);
                assertEquals(List.of(), result.failures());
                for (RoomKeyRecord got : result.keys()) {
                    RoomKeyRecord want = expected.get(got.ref());
                    assertEquals(want.key().sessionKey(), got.key().sessionKey());
                    assertEquals(want.key().senderKey(), got.key().senderKey());
                    assertEquals(want.firstKnownIndex(), got.firstKnownIndex());
                    assertFalse(got.authenticated());
                    restored++;
                }
            }
        }
        assertEquals(records.size(), restored);
    }

    @Test
    void vodozemacMachineRestoresOurUploadBody() throws Exception {
        List<RoomKeyRecord> records = records(15);
        try (var key = BackupDecryptionKey.generate()) {
            RoomKeysBody body = key.publicKey().encrypt(records);
            JsonNode out = Peers.node("backup/wasm_backup.mjs", Map.of("op", "restore", "private_key", key.toBase64(),
                    "version", "1", "body", JSON.readTree(body.toJson())));
            assertEquals(15, out.get("imported").asInt(), out::toString);
            assertEquals(15, out.get("total").asInt());
            Map<String, String> theirs = new HashMap<>();
            for (JsonNode k : out.get("keys")) theirs.put(k.get("session_id").asText(), k.get("session_key").asText());
            for (RoomKeyRecord r : records) {
                assertEquals(r.key().sessionKey(), theirs.get(r.sessionId()), "session " + r.sessionId());
            }
        }
    }

    @Test
    void pkEncryptionOfVodozemacAndLibolmDecryptsInPanolm() {
        List<RoomKeyRecord> records = records(6);
        try (var key = BackupDecryptionKey.generate()) {
            List<String> plaintexts = new ArrayList<>();
            for (RoomKeyRecord r : records) plaintexts.add(plaintextOf(r));
            JsonNode wasm = Peers.node("backup/wasm_backup.mjs",
                    Map.of("op", "pk_encrypt", "public_key", key.publicKey().toBase64(), "plaintexts", plaintexts));
            JsonNode olm = Peers.python("backup_pk.py",
                    Map.of("op", "encrypt", "public_key", key.publicKey().toBase64(), "plaintexts", plaintexts));
            for (JsonNode entries : List.of(wasm.get("entries"), olm.get("messages"))) {
                var rooms = new HashMap<String, Map<String, KeyBackupData>>();
                for (int i = 0; i < records.size(); i++) {
                    JsonNode e = entries.get(i);
                    SessionData d = new SessionData(e.get("ephemeral").asText(), e.get("ciphertext").asText(),
                            e.get("mac").asText());
                    assertEquals(records.get(i).key().sessionKey(), key.decrypt(d).sessionKey());
                    rooms.computeIfAbsent(records.get(i).roomId(), k -> new HashMap<>())
                            .put(records.get(i).sessionId(), new KeyBackupData(0, 0, false, d));
                }
                var body = new HashMap<String, RoomKeyBackup>();
                rooms.forEach((room, s) -> body.put(room, new RoomKeyBackup(s)));
                RestoreResult result = key.decrypt(new RoomKeysBody(body));
                assertEquals(List.of(), result.failures());
                assertEquals(records.size(), result.keys().size());
            }
        }
    }

    private static String plaintextOf(RoomKeyRecord r) {
        SecretBuffer b = new SecretBuffer(600);
        BackedUpSessionJson.write(r.key(), b);
        return new String(b.array(), 0, b.length(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
