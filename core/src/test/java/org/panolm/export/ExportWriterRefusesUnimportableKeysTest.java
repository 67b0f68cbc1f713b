package org.panolm.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.panolm.keystore.RoomKeyFixtures;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;
import org.panolm.megolm.KeyProvenance;
import org.panolm.recovery.Passphrase;

/**
 * Issue 12, "Nothing lost in exports": an export used to accept a key without {@code room_id} and write a
 * file no client can import (Element and matrix-nio refuse the whole file for one such key). The writer
 * now checks every field they require and names the one at fault.
 */
class ExportWriterRefusesUnimportableKeysTest {
    @TempDir
    Path dir;

    static final ExportedRoomKey GOOD = RoomKeyFixtures.randomKey("!room:example.org", 0);

    private static ExportedRoomKey with(UnaryOperator<Map<String, Object>> change) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("algorithm", GOOD.algorithm());
        m.put("room_id", GOOD.roomId());
        m.put("sender_key", GOOD.senderKey());
        m.put("session_id", GOOD.sessionId());
        m.put("session_key", GOOD.sessionKey());
        m.put("sender_claimed_keys", GOOD.senderClaimedKeys());
        m.put("forwarding_curve25519_key_chain", List.of());
        m = change.apply(m);
        @SuppressWarnings("unchecked")
        ExportedRoomKey k = new ExportedRoomKey((String) m.get("algorithm"), (String) m.get("room_id"),
                (String) m.get("sender_key"), (String) m.get("session_id"), (String) m.get("session_key"),
                (Map<String, String>) m.get("sender_claimed_keys"), (List<String>) m.get("forwarding_curve25519_key_chain"),
                null);
        return k;
    }

    private static UnaryOperator<Map<String, Object>> set(String field, Object value) {
        return m -> {
            m.put(field, value);
            return m;
        };
    }

    /**
     * Refused by panolm although the peers import it: a session_id that is not the session its session_key
     * belongs to (the peers file the key under the id they derive; panolm will not write a file that
     * misnames a session).
     */
    static final java.util.Set<String> STRICTER_THAN_PEERS = java.util.Set.of("session_key ");

    /** Each key Element or nio would refuse (or, above, panolm alone), and the field the writer names. */
    static final Map<String, ExportedRoomKey> UNIMPORTABLE = new LinkedHashMap<>();

    static {
        UNIMPORTABLE.put("room_id", with(set("room_id", null)));
        UNIMPORTABLE.put("room_id ", with(set("room_id", "")));
        UNIMPORTABLE.put("room_id  ", with(set("room_id", "room:example.org")));
        UNIMPORTABLE.put("session_id", with(set("session_id", null)));
        UNIMPORTABLE.put("session_key", with(set("session_key", "not a key")));
        UNIMPORTABLE.put("session_key ", with(set("session_id", RoomKeyFixtures.randomKey("!room:example.org", 0).sessionId())));
        UNIMPORTABLE.put("sender_key", with(set("sender_key", null)));
        UNIMPORTABLE.put("sender_key ", with(set("sender_key", "abc")));
        UNIMPORTABLE.put("sender_claimed_keys.ed25519", with(set("sender_claimed_keys", Map.of())));
        UNIMPORTABLE.put("sender_claimed_keys.ed25519 ", with(set("sender_claimed_keys", Map.of("ed25519", "abc"))));
        UNIMPORTABLE.put("forwarding_curve25519_key_chain[0]", with(set("forwarding_curve25519_key_chain", List.of("abc"))));
        UNIMPORTABLE.put("algorithm", with(set("algorithm", "m.olm.v1.curve25519-aes-sha2")));
    }

    @Test
    void everyFieldTheImportingClientsNeedIsCheckedAndNamed() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Passphrase p = Passphrase.of("pass"); RoomKeyExportWriter w = RoomKeyExportWriter.open(out, p, 1000)) {
            w.write(GOOD);
            UNIMPORTABLE.forEach((field, key) -> {
                InvalidRoomKeyException e = assertThrows(InvalidRoomKeyException.class, () -> w.write(key), field);
                assertEquals(field.strip(), e.field(), e.getMessage());
                assertFalse(e.getMessage().contains(GOOD.sessionKey().substring(0, 20)), "no key material");
            });
            w.write(RoomKeyFixtures.randomKey("!other:example.org", 3));
        }
        // The refusals left the file whole: it holds the two good keys.
        Path file = dir.resolve("keys.txt");
        Files.write(file, out.toByteArray());
        List<ExportedRoomKey> back = new ArrayList<>();
        try (Passphrase p = Passphrase.of("pass")) {
            RoomKeyExport.importFile(file, p, SessionFilter.all(), back::add);
        }
        assertEquals(2, back.size());
        assertEquals(GOOD, back.get(0));
        // The one-call export refuses the list outright, naming the key.
        try (Passphrase p = Passphrase.of("pass")) {
            InvalidRoomKeyException e = assertThrows(InvalidRoomKeyException.class, () -> RoomKeyExport.export(
                    List.of(GOOD, UNIMPORTABLE.get("room_id")), SessionFilter.all(), p, 1000, new ByteArrayOutputStream()));
            assertEquals("room_id", e.field());
            assertEquals(GOOD.sessionId(), e.sessionId());
            assertNull(e.roomId());
        }
    }

    @Test
    void provenanceTravelsAsAClaimThatIsNeverTrusted() throws Exception {
        RoomKeyRecord authenticated = RoomKeyRecord.of(GOOD, RoomKeyFixtures.AUTHENTICATED, 0);
        RoomKeyRecord fromFile = RoomKeyRecord.of(RoomKeyFixtures.randomKey("!room:example.org", 2),
                new KeyProvenance.ImportedFromFile("older.txt", new KeyProvenance.RestoredFromBackup("4", true)), 1);
        Path file = dir.resolve("with-provenance.txt");
        try (Passphrase p = Passphrase.of("pass"); var out = Files.newOutputStream(file)) {
            assertEquals(2, RoomKeyExport.exportRecords(List.of(authenticated, fromFile), SessionFilter.all(), p, 1000, out));
        }
        List<KeyProvenance> got = new ArrayList<>();
        List<ExportedRoomKey> keys = new ArrayList<>();
        try (Passphrase p = Passphrase.of("pass")) {
            RoomKeyExport.importFileWithProvenance(file, p, SessionFilter.all(), (k, prov) -> {
                keys.add(k);
                got.add(prov);
            });
        }
        assertEquals(List.of(GOOD, fromFile.key()), keys, "the keys are unchanged by the extra field");
        assertEquals(new KeyProvenance.ImportedFromFile("with-provenance.txt", RoomKeyFixtures.AUTHENTICATED), got.get(0));
        assertFalse(got.get(0).authenticated(), "a claim of authentication in a file is only a claim");
        assertEquals(new KeyProvenance.ImportedFromFile("with-provenance.txt",
                new KeyProvenance.ImportedFromFile("older.txt", null)), got.get(1), "one level of claim only");
    }
}
