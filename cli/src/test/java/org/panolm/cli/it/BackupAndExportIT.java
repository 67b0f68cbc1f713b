package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.testsupport.Peers;

/**
 * {@code backup restore|create} and {@code export decrypt|encrypt|inspect}, each checked against Element's own
 * code (matrix-sdk-crypto-wasm) in the other direction.
 */
class BackupAndExportIT {
    @TempDir
    Path dir;

    private final History h = History.get();

    /** session id → session_key, for comparing key sets whatever their order and extra fields. */
    private static Map<String, String> bySession(JsonNode keys) {
        Map<String, String> out = new TreeMap<>();
        keys.forEach(k -> out.put(k.get("room_id").asText() + " " + k.get("session_id").asText(),
                k.get("session_key").asText()));
        return out;
    }

    @Test
    void restoreAnElementBackupToAnExportFileThatElementImports() throws Exception {
        Element e = Element.backup();
        Path body = History.write(dir, "room_keys.json", e.body.toString());
        Path key = History.write(dir, "key.txt", e.recoveryKey);
        Path out = dir.resolve("restored.txt");
        Cli.Result r = Cli.run(null, Map.of("PANOLM_OUT_PASSPHRASE", "new passphrase ☃"), "backup", "restore",
                "--backup", body.toString(), "--recovery-key-file", key.toString(), "--out", out.toString(),
                "--rounds", "1000", "--allow-weak-rounds").expectExit(0);
        assertTrue(r.lastErrLine().startsWith("panolm: restored " + h.keys.size() + " of " + h.keys.size() + " sessions"),
                r.stderr());
        JsonNode imported = Element.node("decrypt_export",
                Map.of("export_file", Files.readString(out), "passphrase", "new passphrase ☃")).get("keys");
        assertEquals(bySession(h.keys), bySession(imported));
    }

    @Test
    void restoreToJsonLimitedToOneRoom() throws Exception {
        Element e = Element.backup();
        Path body = History.write(dir, "room_keys.json", e.body.toString());
        String room = h.rooms.get(1);
        Cli.Result r = Cli.run(null, Map.of("PANOLM_RECOVERY_KEY", e.recoveryKey), "backup", "restore", "--backup",
                body.toString(), "--out", "-", "--out-json", "--room", room).expectExit(0);
        JsonNode restored = Peers.JSON.readTree(r.stdout());
        Map<String, String> want = new TreeMap<>(bySession(h.keys));
        want.keySet().removeIf(k -> !k.startsWith(room + " "));
        assertTrue(!want.isEmpty());
        assertEquals(want, bySession(restored));
    }

    @Test
    void createABackupThatElementRestores() throws Exception {
        JsonNode fresh = Peers.JSON.readTree(Cli.run("recovery-key", "generate", "--json").expectExit(0).stdout());
        Path keys = History.write(dir, "keys.json", h.keys.toString());
        Path out = dir.resolve("room_keys.json");
        Cli.run("backup", "create", "--keys", keys.toString(), "--public-key", fresh.get("backup_public_key").asText(),
                "--out", out.toString()).expectExit(0);
        // Element restores it with the private half of the same Security Key.
        Path keyFile = History.write(dir, "key.txt", fresh.get("recovery_key").asText());
        Cli.Result json = Cli.run("backup", "restore", "--backup", out.toString(), "--recovery-key-file",
                keyFile.toString(), "--out", "-", "--out-json").expectExit(0);
        assertEquals(bySession(h.keys), bySession(Peers.JSON.readTree(json.stdout())));
        String privateKey = Peers.node("cli/room_keys.mjs", Map.of("op", "recovery_key_bytes",
                "recovery_key", fresh.get("recovery_key").asText())).get("private_key").asText();
        JsonNode restored = Element.node("restore", Map.of("private_key", privateKey,
                "body", Peers.JSON.readTree(Files.readString(out)))).get("keys");
        assertEquals(bySession(h.keys), bySession(restored));
    }

    @Test
    void exportFilesBothWaysWithElement() throws Exception {
        // Element's file → panolm decrypt (also checks a non-ASCII passphrase and Element's 96-byte line wrapping).
        String elementFile = Element.node("export", Map.of("keys", h.keys, "passphrase", "pässwörd ☃", "rounds", 1000))
                .get("export_file").asText();
        Path in = History.write(dir, "element.txt", elementFile);
        Cli.Result dec = Cli.run(null, Map.of("PANOLM_PASSPHRASE", "pässwörd ☃"), "export", "decrypt", "--in",
                in.toString()).expectExit(0);
        assertEquals(bySession(h.keys), bySession(Peers.JSON.readTree(dec.stdout())));
        // panolm's file → Element decrypt, limited to two rooms.
        Path json = History.write(dir, "keys.json", h.keys.toString());
        Path out = dir.resolve("panolm-export.txt");
        Cli.run(null, Map.of("PANOLM_PASSPHRASE", "another ☃"), "export", "encrypt", "--in", json.toString(),
                "--out", out.toString(), "--rounds", "1000", "--allow-weak-rounds", "--room", h.rooms.get(0), "--room", h.rooms.get(2))
                .expectExit(0);
        JsonNode back = Element.node("decrypt_export", Map.of("export_file", Files.readString(out), "passphrase",
                "another ☃")).get("keys");
        Map<String, String> want = new TreeMap<>(bySession(h.keys));
        want.keySet().removeIf(k -> !(k.startsWith(h.rooms.get(0) + " ") || k.startsWith(h.rooms.get(2) + " ")));
        assertEquals(want, bySession(back));
    }

    @Test
    void inspectCountsPerRoomAndSenderWithoutSecrets() throws Exception {
        Path in = History.write(dir, "element.txt", h.exportFile);
        Cli.Result r = Cli.run(null, Map.of("PANOLM_PASSPHRASE", History.PASSPHRASE), "export", "inspect", "--in",
                in.toString(), "--json").expectExit(0);
        JsonNode counts = Peers.JSON.readTree(r.stdout());
        assertEquals(h.keys.size(), counts.get("sessions").asInt());
        Map<String, Integer> perRoom = new HashMap<>();
        h.keys.forEach(k -> perRoom.merge(k.get("room_id").asText(), 1, Integer::sum));
        perRoom.forEach((room, n) -> assertEquals(n, counts.at("/rooms/" + room.replace("/", "~1") + "/sessions").asInt()));
        assertEquals(Set.copyOf(h.rooms), Set.copyOf(iterable(counts.get("rooms").fieldNames())));
        Cli.Result text = Cli.run(null, Map.of("PANOLM_PASSPHRASE", History.PASSPHRASE), "export", "inspect", "--in",
                in.toString()).expectExit(0);
        for (JsonNode k : h.keys) {
            assertTrue(!text.stdout().contains(k.get("session_key").asText().substring(10, 40)), "no key material");
        }
        assertTrue(text.stdout().contains(h.rooms.get(0)));
    }

    private static java.util.List<String> iterable(java.util.Iterator<String> it) {
        java.util.List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
