package org.panolm.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.panolm.export.RoomKeyExportException.Reason;
import org.panolm.recovery.Passphrase;
import org.panolm.testsupport.Peers;
import org.panolm.keystore.SessionFilter;
import org.panolm.keystore.SessionRef;

/**
 * Export files exchanged with independent implementations, both ways: matrix-sdk-crypto-wasm
 * (matrix-rust-sdk, as Element X and Element Web with Rust crypto use it) and matrix-nio. The keys are real
 * Megolm sessions made by @matrix-org/olm; 150 of them make a body larger than every internal buffer.
 */
class RoomKeyExportPeersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSPHRASE = "correct horse battery staple ✓";
    /** nio hands the passphrase to PyCryptodome as a str, which encodes it as Latin-1, not UTF-8: ASCII only. */
    private static final String NIO_PASSPHRASE = "correct horse battery staple";
    private static final List<String> ROOMS = List.of("!alpha:example.org", "!beta:example.org", "!gamma:example.org");
    private static List<ExportedRoomKey> keys;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeRealKeys() throws IOException {
        JsonNode result = Peers.node("secrets/export_wasm.mjs", List.of(Map.of("op", "keys", "count", 150, "rooms", ROOMS)));
        keys = JSON.convertValue(result.get(0).get("keys"), new TypeReference<List<ExportedRoomKey>>() { });
        assertEquals(150, keys.size());
    }

    private String exportWithPanolm(SessionFilter filter) throws IOException {
        return exportWithPanolm(filter, PASSPHRASE);
    }

    private String exportWithPanolm(SessionFilter filter, String passphrase) throws IOException {
        var out = new ByteArrayOutputStream();
        try (Passphrase p = Passphrase.of(passphrase)) {
            RoomKeyExport.export(keys, filter, p, 1000, out);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    private List<ExportedRoomKey> importWithPanolm(Path file, SessionFilter filter) throws IOException {
        return importWithPanolm(file, filter, PASSPHRASE);
    }

    private List<ExportedRoomKey> importWithPanolm(Path file, SessionFilter filter, String passphrase)
            throws IOException {
        List<ExportedRoomKey> got = new ArrayList<>();
        try (Passphrase p = Passphrase.of(passphrase)) {
            RoomKeyExport.importFile(file, p, filter, got::add);
        }
        return got;
    }

    private static SessionRef ref(ExportedRoomKey k) {
        return new SessionRef(k.roomId(), k.sessionId());
    }

    private static List<ExportedRoomKey> parse(String json) throws IOException {
        return JSON.readValue(json, new TypeReference<List<ExportedRoomKey>>() { });
    }

    /** Peers may add {@code shared_history: false}; everything else must be identical. */
    private static void assertSameKeys(List<ExportedRoomKey> expected, List<ExportedRoomKey> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            ExportedRoomKey a = actual.get(i);
            if (Boolean.FALSE.equals(a.sharedHistory()) && expected.get(i).sharedHistory() == null) {
                a = new ExportedRoomKey(a.algorithm(), a.roomId(), a.senderKey(), a.sessionId(), a.sessionKey(),
                        a.senderClaimedKeys(), a.forwardingCurve25519KeyChain(), null);
            }
            assertEquals(expected.get(i), a, "key #" + i);
        }
    }

    @Test
    void wasmFilesDecryptInPanolm() throws IOException {
        JsonNode r = Peers.node("secrets/export_wasm.mjs", List.of(Map.of("op", "encrypt",
                "json", JSON.writeValueAsString(keys), "passphrase", PASSPHRASE, "rounds", 1000))).get(0);
        assertNull(r.get("error"));
        Path file = dir.resolve("wasm.txt");
        Files.writeString(file, r.get("file").asText());
        assertSameKeys(keys, importWithPanolm(file, SessionFilter.all()));
        // Selective import: one room only.
        SessionFilter beta = SessionFilter.rooms(java.util.Set.of("!beta:example.org"));
        assertSameKeys(keys.stream().filter(k -> beta.accepts(k.roomId(), k.sessionId())).toList(), importWithPanolm(file, beta));
        try (Passphrase wrong = Passphrase.of("wrong")) {
            RoomKeyExportException e = assertThrows(RoomKeyExportException.class,
                    () -> RoomKeyExport.importFile(file, wrong, SessionFilter.all(), k -> { }));
            assertEquals(Reason.WRONG_PASSPHRASE, e.reason());
        }
    }

    @Test
    void panolmFilesDecryptInWasm() throws IOException {
        String all = exportWithPanolm(SessionFilter.all());
        SessionFilter two = SessionFilter.sessions(java.util.Set.of(ref(keys.get(3)), ref(keys.get(77))));
        String selected = exportWithPanolm(two);
        JsonNode r = Peers.node("secrets/export_wasm.mjs", List.of(
                Map.of("op", "decrypt", "file", all, "passphrase", PASSPHRASE),
                Map.of("op", "decrypt", "file", selected, "passphrase", PASSPHRASE),
                Map.of("op", "decrypt", "file", all, "passphrase", "wrong")));
        assertNull(r.get(0).get("error"), () -> r.get(0).toString());
        assertSameKeys(keys, parse(r.get(0).get("json").asText()));
        assertSameKeys(List.of(keys.get(3), keys.get(77)), parse(r.get(1).get("json").asText()));
        assertNotNull(r.get(2).get("error"), "the peer must refuse a wrong passphrase");
    }

    /**
     * Keys exported with their provenance (an extra field per key) import into Element's OlmMachine and into
     * matrix-nio exactly as plain keys do; and every key panolm's writer refuses, one of them refuses too.
     */
    @Test
    void exportsWithProvenanceImportIntoElementAndNioAndRefusalsMatchTheirs() throws IOException {
        List<org.panolm.keystore.RoomKeyRecord> records = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            records.add(org.panolm.keystore.RoomKeyRecord.of(keys.get(i), i % 2 == 0
                    ? new org.panolm.megolm.KeyProvenance.RestoredFromBackup("3", true)
                    : new org.panolm.megolm.KeyProvenance.Forwarded("@me:example.org", "PHONE", keys.get(i).senderKey(),
                            true, List.of()), i % 3));
        }
        Path file = dir.resolve("provenance.txt");
        try (Passphrase p = Passphrase.of(NIO_PASSPHRASE); var out = Files.newOutputStream(file)) {
            RoomKeyExport.exportRecords(records, SessionFilter.all(), p, 1000, out);
        }
        var plain = new ByteArrayOutputStream();
        try (Passphrase p = Passphrase.of(NIO_PASSPHRASE)) {
            RoomKeyExport.decryptJson(file, p, plain);
        }
        String json = plain.toString(StandardCharsets.UTF_8);
        assertTrue(json.contains(RoomKeyExport.PROVENANCE_FIELD), "the extra field is there");
        JsonNode wasm = Peers.node("secrets/export_wasm.mjs", List.of(Map.of("op", "import", "json", json))).get(0);
        assertNull(wasm.get("error"), wasm::toString);
        assertEquals(keys.size(), wasm.get("imported").asInt());
        assertEquals(keys.size(), wasm.get("total").asInt());
        JsonNode nio = Peers.python("export_nio.py", List.of(Map.of("op", "import", "path", file.toString(),
                "passphrase", NIO_PASSPHRASE))).get(0);
        assertNull(nio.get("error"), nio::toString);
        assertEquals(keys.size(), nio.get("imported").asInt());

        // What panolm refuses to write, a peer refuses to import (each next to a good key, as in a real file).
        List<Map<String, Object>> requests = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        ExportWriterRefusesUnimportableKeysTest.UNIMPORTABLE.forEach((field, bad) -> {
            fields.add(field);
            requests.add(Map.of("op", "import", "json", JSON.valueToTree(List.of(keys.get(0), bad)).toString()));
        });
        JsonNode wasmVerdicts = Peers.node("secrets/export_wasm.mjs", requests);
        for (int i = 0; i < fields.size(); i++) {
            if (ExportWriterRefusesUnimportableKeysTest.STRICTER_THAN_PEERS.contains(fields.get(i))) continue;
            ExportedRoomKey bad = ExportWriterRefusesUnimportableKeysTest.UNIMPORTABLE.get(fields.get(i));
            JsonNode v = wasmVerdicts.get(i);
            boolean wasmRefuses = v.has("error") || v.get("imported").asInt() < 2;
            boolean nioRefuses = false;
            if (!wasmRefuses) {
                Path f = dir.resolve("bad-" + i + ".txt");
                Peers.python("export_nio.py", List.of(Map.of("op", "encrypt", "json",
                        JSON.valueToTree(List.of(keys.get(0), bad)).toString(), "passphrase", NIO_PASSPHRASE,
                        "count", 1000, "path", f.toString())));
                JsonNode n = Peers.python("export_nio.py", List.of(Map.of("op", "import", "path", f.toString(),
                        "passphrase", NIO_PASSPHRASE))).get(0);
                nioRefuses = n.has("error") || n.get("imported").asInt() < 2;
            }
            int at = i;
            assertTrue(wasmRefuses || nioRefuses, () -> "no peer refuses the key panolm refuses for " + fields.get(at)
                    + ": " + v);
        }
    }

    @Test
    void panolmWritesElementArmour() throws IOException {
        String file = exportWithPanolm(SessionFilter.all());
        List<String> lines = file.lines().toList();
        assertTrue(file.endsWith("-----END MEGOLM SESSION DATA-----\n"));
        assertEquals("-----BEGIN MEGOLM SESSION DATA-----", lines.get(0));
        for (String line : lines.subList(1, lines.size() - 2)) {
            assertEquals(128, line.length());
            assertFalse(line.contains("="));
        }
        assertTrue(lines.get(lines.size() - 2).length() <= 128);
    }

    @Test
    void nioFilesDecryptInPanolm() throws IOException {
        Path file = dir.resolve("nio.txt");
        JsonNode r = Peers.python("export_nio.py", List.of(Map.of("op", "encrypt", "json", JSON.writeValueAsString(keys),
                "passphrase", NIO_PASSPHRASE, "count", 1000, "path", file.toString()))).get(0);
        assertNull(r.get("error"), () -> r.toString());
        assertSameKeys(keys, importWithPanolm(file, SessionFilter.all(), NIO_PASSPHRASE));
    }

    @Test
    void panolmFilesDecryptInNio() throws IOException {
        Path file = dir.resolve("panolm.txt");
        Files.writeString(file, exportWithPanolm(SessionFilter.all(), NIO_PASSPHRASE));
        JsonNode r = Peers.python("export_nio.py", List.of(
                Map.of("op", "decrypt", "path", file.toString(), "passphrase", NIO_PASSPHRASE),
                Map.of("op", "decrypt", "path", file.toString(), "passphrase", "wrong")));
        assertNull(r.get(0).get("error"), () -> r.get(0).toString());
        assertSameKeys(keys, parse(r.get(0).get("json").asText()));
        assertTrue(r.get(1).get("error").asText().contains("HMAC"));
    }
}
