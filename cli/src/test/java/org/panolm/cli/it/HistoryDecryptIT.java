package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.testsupport.Peers;

/** {@code panolm history decrypt} on a history and keys made by libolm (python3-olm), as a process. */
class HistoryDecryptIT {
    @TempDir
    Path dir;

    private final History h = History.get();

    /** Checks one output line per input event, in order, each as the fixture expects. */
    private void assertMatchesExpected(List<ObjectNode> input, List<JsonNode> out) {
        assertEquals(input.size(), out.size(), "one output line per input event");
        for (int i = 0; i < input.size(); i++) {
            ObjectNode in = input.get(i);
            JsonNode line = out.get(i);
            String id = in.get("event_id").asText();
            assertEquals(id, line.get("event_id").asText(), "input order kept at line " + (i + 1));
            JsonNode want = h.expected.get(id);
            switch (want.get("status").asText()) {
                case "not_encrypted" -> {
                    ObjectNode marked = in.deepCopy();
                    marked.putObject("decryption").put("status", "not_encrypted");
                    assertEquals(marked, line, "unencrypted events keep their fields and say they were not encrypted");
                }
                case "ok" -> {
                    assertEquals("ok", line.at("/decryption/status").asText(), line.toString());
                    assertEquals(want.get("type"), line.get("type"));
                    assertEquals(want.get("content"), line.get("content"));
                    assertEquals(want.get("session_id"), line.at("/decryption/session_id"));
                    assertEquals(want.get("message_index").asLong(), line.at("/decryption/message_index").asLong());
                    assertEquals(want.get("sender_key"), line.at("/decryption/sender_key"));
                    for (String kept : List.of("room_id", "sender", "origin_server_ts")) {
                        assertEquals(in.get(kept), line.get(kept), kept);
                    }
                }
                default -> {
                    assertEquals(want.get("status").asText(), line.at("/decryption/status").asText(), line.toString());
                    assertFalse(line.at("/decryption/reason").asText().isEmpty());
                    assertEquals(in.get("content"), line.get("content"), "a failed event keeps its fields");
                }
            }
        }
    }

    @Test
    void decryptsEveryEventOfAPythonOlmHistoryInOrderFromFileToFile() throws Exception {
        Path keys = History.write(dir, "keys.json", h.keys.toString());
        Path in = History.write(dir, "history.jsonl", History.jsonLines(h.events));
        Path out = dir.resolve("decrypted.jsonl");
        Cli.Result r = Cli.run("history", "decrypt", "--keys", keys.toString(), "--in", in.toString(),
                "--out", out.toString(), "--batch-size", "16", "--threads", "2").expectExit(2);
        assertMatchesExpected(h.events, History.lines(Files.readString(out)));
        assertEquals("", r.stdout(), "results go to --out only");
        assertTrue(r.lastErrLine().matches("panolm: [\\d,]+ events: [\\d,]+ decrypted, 4 failed "
                + "\\(UNKNOWN_INDEX 2, UNKNOWN_SESSION 2\\), \\d+ not encrypted; .*messages/s.*"), r.stderr());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".partial")), "no temporary file left");
        }
    }

    @Test
    void exitsZeroWhenEveryEncryptedEventDecrypts() {
        List<ObjectNode> good = h.events.stream()
                .filter(e -> !List.of("UNKNOWN_SESSION", "UNKNOWN_INDEX")
                        .contains(h.expected.get(e.get("event_id").asText()).get("status").asText()))
                .toList();
        Path keys = History.write(dir, "keys.json", h.keys.toString());
        Cli.Result r = Cli.run(History.jsonLines(good), Map.of(), "history", "decrypt", "--keys", keys.toString())
                .expectExit(0);
        assertMatchesExpected(good, History.lines(r.stdout()));
        assertTrue(r.lastErrLine().contains(" 0 failed"), r.stderr());
    }

    @Test
    void aJsonArrayAndAMessagesResponseGiveTheSameLinesAsJsonLines() throws Exception {
        Path keys = History.write(dir, "keys.json", h.keys.toString());
        ArrayNode array = Peers.JSON.createArrayNode().addAll(h.events);
        ObjectNode messages = Peers.JSON.createObjectNode();
        messages.put("start", "t47-1");
        messages.set("chunk", array);
        messages.put("end", "t1-1");
        String fromLines = Cli.run(History.jsonLines(h.events), Map.of(), "history", "decrypt", "--keys", keys.toString())
                .expectExit(2).stdout();
        String fromArray = Cli.run(Peers.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(array), Map.of(),
                "history", "decrypt", "--keys", keys.toString()).expectExit(2).stdout();
        String fromMessages = Cli.run(Peers.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(messages), Map.of(),
                "history", "decrypt", "--keys", keys.toString()).expectExit(2).stdout();
        // Unencrypted events are re-serialised from arrays (byte-exact only from JSON Lines): compare as JSON.
        assertSameLines(History.lines(fromLines), History.lines(fromArray));
        assertSameLines(History.lines(fromLines), History.lines(fromMessages));
        assertMatchesExpected(h.events, History.lines(fromMessages));
    }

    private static void assertSameLines(List<JsonNode> expected, List<JsonNode> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "line " + (i + 1));
        }
    }

    /** Each kind of damage, its expected code. */
    @Test
    void everyTamperedEventGetsItsCodeAndTheRestStillDecrypt() throws Exception {
        List<ObjectNode> ok = new ArrayList<>();
        for (ObjectNode e : h.events) {
            if (h.expected.get(e.get("event_id").asText()).get("status").asText().equals("ok")) {
                ok.add(e);
            }
        }
        Map<String, String> expectedCode = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        int n = 0;
        for (ObjectNode e : ok) {
            lines.add(e.toString());
        }
        // Tampered copies go after the originals. A replayed copy makes its original a replay too (nothing
        // signed tells them apart), whatever their order.
        n = tamper(ok.get(0), "signature", expectedCode, lines, n, ct -> flip(ct, ct.length - 1));
        n = tamper(ok.get(1), "ciphertext", expectedCode, lines, n, ct -> flip(ct, 20));
        n = tamper(ok.get(2), "version", expectedCode, lines, n, ct -> { ct[0] = 4; return ct; });
        n = tamper(ok.get(3), "truncated", expectedCode, lines, n, ct -> java.util.Arrays.copyOf(ct, 30));
        ObjectNode badBase64 = ok.get(4).deepCopy();
        badBase64.put("event_id", "$tampered-base64");
        ((ObjectNode) badBase64.get("content")).put("ciphertext", "Awg!" + badBase64.at("/content/ciphertext").asText().substring(4));
        lines.add(badBase64.toString());
        expectedCode.put("$tampered-base64", "BAD_BASE64");
        ObjectNode replay = ok.get(5).deepCopy();
        replay.put("event_id", "$tampered-replay");
        lines.add(replay.toString());
        expectedCode.put("$tampered-replay", "REPLAYED_INDEX");
        ObjectNode otherRoom = ok.get(6).deepCopy();
        otherRoom.put("event_id", "$tampered-room");
        String room = otherRoom.get("room_id").asText();
        otherRoom.put("room_id", h.rooms.stream().filter(r -> !r.equals(room)).findFirst().orElseThrow());
        lines.add(otherRoom.toString());
        expectedCode.put("$tampered-room", "ROOM_MISMATCH");
        ObjectNode noCiphertext = ok.get(7).deepCopy();
        noCiphertext.put("event_id", "$tampered-missing");
        ((ObjectNode) noCiphertext.get("content")).remove("ciphertext");
        lines.add(noCiphertext.toString());
        expectedCode.put("$tampered-missing", "BAD_EVENT");
        lines.add("{\"type\":\"m.room.encrypted\",\"event_id\":\"$broken\",");
        expectedCode.put(null, "BAD_EVENT");

        Path keys = History.write(dir, "keys.json", h.keys.toString());
        byte[] input = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        Cli.Result r = Cli.run(input, Map.of(), "history", "decrypt", "--keys", keys.toString()).expectExit(2);
        List<JsonNode> out = History.lines(r.stdout());
        assertEquals(lines.size(), out.size(), "every line, malformed or not, gives exactly one output line");
        for (int i = 0; i < ok.size(); i++) {
            assertEquals(i == 5 ? "REPLAYED_INDEX" : "ok", out.get(i).at("/decryption/status").asText(),
                    out.get(i).toString());
            assertEquals(ok.get(i).get("event_id"), out.get(i).get("event_id"));
        }
        int i = ok.size();
        for (Map.Entry<String, String> want : expectedCode.entrySet()) {
            JsonNode line = out.get(i++);
            if (want.getKey() != null) {
                assertEquals(want.getKey(), line.get("event_id").asText());
            } else {
                assertTrue(line.at("/decryption/reason").asText().startsWith("line " + lines.size() + ", column "),
                        line.toString());
            }
            assertEquals(want.getValue(), line.at("/decryption/status").asText(), line.toString());
        }
    }

    private interface Damage {
        byte[] apply(byte[] ciphertext);
    }

    private static int tamper(ObjectNode original, String kind, Map<String, String> expectedCode, List<String> lines,
                              int n, Damage damage) {
        ObjectNode e = original.deepCopy();
        String id = "$tampered-" + kind;
        e.put("event_id", id);
        byte[] ct = Base64.getDecoder().decode(padded(e.at("/content/ciphertext").asText()));
        ((ObjectNode) e.get("content")).put("ciphertext", Base64.getEncoder().withoutPadding().encodeToString(damage.apply(ct)));
        lines.add(e.toString());
        expectedCode.put(id, switch (kind) {
            case "signature", "ciphertext" -> "BAD_SIGNATURE";
            case "version" -> "BAD_VERSION";
            case "truncated" -> "TRUNCATED";
            default -> throw new IllegalArgumentException(kind);
        });
        return n + 1;
    }

    private static byte[] flip(byte[] b, int at) {
        b[at] ^= 0x01;
        return b;
    }

    private static String padded(String s) {
        return s + "=".repeat((4 - s.length() % 4) % 4);
    }

    @Test
    void aKeyWhoseRatchetWasAlteredGivesBadMacForItsEvents() {
        // A session whose every event is expected to decrypt (its key starts at index 0).
        String wanted = h.expected.values().stream()
                .filter(v -> v.get("status").asText().equals("ok") && v.get("message_index").asLong() == 0)
                .findFirst().orElseThrow().get("session_id").asText();
        ArrayNode keys = h.keys.deepCopy();
        ObjectNode first = null;
        for (JsonNode k : keys) {
            if (k.get("session_id").asText().equals(wanted)) {
                first = (ObjectNode) k;
            }
        }
        byte[] key = Base64.getDecoder().decode(padded(first.get("session_key").asText()));
        key[40] ^= 0x55; // inside the ratchet; the public key (and so the signature check) is unchanged
        first.put("session_key", Base64.getEncoder().withoutPadding().encodeToString(key));
        String session = first.get("session_id").asText();
        List<ObjectNode> ofSession = h.events.stream()
                .filter(e -> session.equals(e.at("/content/session_id").asText())).toList();
        assertFalse(ofSession.isEmpty());
        Path keyFile = History.write(dir, "keys.json", keys.toString());
        Cli.Result r = Cli.run(History.jsonLines(ofSession), Map.of(), "history", "decrypt", "--keys", keyFile.toString())
                .expectExit(2);
        for (JsonNode line : History.lines(r.stdout())) {
            assertEquals("BAD_MAC", line.at("/decryption/status").asText(), line.toString());
        }
    }

    @Test
    void keysForOtherRoomsLeaveEveryEventUnknownAndSaySo() throws Exception {
        String room = h.rooms.get(0);
        ArrayNode others = Peers.JSON.createArrayNode();
        h.keys.forEach(k -> {
            if (!k.get("room_id").asText().equals(room)) {
                others.add(k);
            }
        });
        List<ObjectNode> ofRoom = h.events.stream()
                .filter(e -> room.equals(e.get("room_id").asText()) && e.get("type").asText().equals("m.room.encrypted"))
                .toList();
        Path keyFile = History.write(dir, "other-rooms.json", others.toString());
        Path out = dir.resolve("out.jsonl");
        Cli.Result r = Cli.run(History.jsonLines(ofRoom), Map.of(), "history", "decrypt", "--keys", keyFile.toString(),
                "--out", out.toString()).expectExit(2);
        List<JsonNode> lines = History.lines(Files.readString(out, StandardCharsets.UTF_8));
        assertEquals(ofRoom.size(), lines.size(), "the output is complete");
        lines.forEach(l -> assertEquals("UNKNOWN_SESSION", l.at("/decryption/status").asText()));
        assertTrue(r.stderr().contains("no event matched a loaded key"), r.stderr());
        assertFalse(r.stderr().contains(room + ","), "the hint lists the key file's rooms, not the history's");
    }
}
