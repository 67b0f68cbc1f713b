package org.panolm.cli.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.panolm.testsupport.Peers;

/**
 * One room history made by python3-olm (libolm) with its keys, exported by matrix-nio, made once per test
 * run: 3 rooms, 3 senders, a withheld session (UNKNOWN_SESSION) and a session exported from index 2
 * (UNKNOWN_INDEX for its first two messages).
 */
final class History {
    // ASCII: nio hands the passphrase to PyCryptodome, which encodes it as Latin-1, not UTF-8.
    static final String PASSPHRASE = "correct horse battery staple";
    static final int ROUNDS = 1000;

    final List<ObjectNode> events = new ArrayList<>();
    final Map<String, JsonNode> expected;
    final ArrayNode keys;
    final String exportFile;
    final List<String> rooms = new ArrayList<>();

    private static History instance;

    static synchronized History get() {
        if (instance == null) {
            instance = new History();
        }
        return instance;
    }

    private History() {
        JsonNode made = Peers.python("cli_history.py",
                Map.of("rooms", 3, "senders", 3, "messages", 40, "passphrase", PASSPHRASE, "rounds", ROUNDS));
        made.get("events").forEach(e -> events.add((ObjectNode) e));
        expected = Peers.JSON.convertValue(made.get("expected"),
                Peers.JSON.getTypeFactory().constructMapType(Map.class, String.class, JsonNode.class));
        keys = (ArrayNode) made.get("keys");
        exportFile = made.get("export_file").asText();
        made.get("rooms").forEach(r -> rooms.add(r.asText()));
    }

    /** Events as JSON Lines. */
    static byte[] jsonLines(List<? extends JsonNode> events) {
        StringBuilder s = new StringBuilder();
        for (JsonNode e : events) {
            s.append(e.toString()).append('\n');
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path dir, String name, String text) {
        return write(dir, name, text.getBytes(StandardCharsets.UTF_8));
    }

    static List<JsonNode> lines(String jsonLines) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : jsonLines.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                out.add(Peers.JSON.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException("output line is not JSON: " + line, e);
            }
        }
        return out;
    }
}
