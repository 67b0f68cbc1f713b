package org.panolm.spark;

import java.io.IOException;
import java.io.StringWriter;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.cli.Json;
import org.panolm.cli.history.HistoryWriter;
import org.panolm.cli.history.Outcome;

/**
 * The output line of one event, as {@code panolm history decrypt} writes it: a decrypted event keeps
 * {@code event_id}, {@code room_id}, {@code sender} and {@code origin_server_ts} and takes {@code type} and
 * {@code content} from the plaintext; another event keeps its fields without any {@code decryption} of its
 * own; an item that is no event is its error alone. The {@code decryption} object is always
 * {@link HistoryWriter#decryption(Outcome)}'s, and the JSON is written with the CLI's generator (same
 * escapes).
 */
final class OutputLine {
    private static final String[] KEPT = {"event_id", "room_id", "sender", "origin_server_ts"};

    private OutputLine() {}

    /** @param event the input event, or null for an item that is no event */
    static ObjectNode of(ObjectNode event, Outcome outcome) {
        ObjectNode line;
        if (outcome instanceof Outcome.Decrypted d) {
            line = Json.MAPPER.createObjectNode();
            for (String field : KEPT) {
                JsonNode v = event.get(field);
                if (v != null) {
                    line.set(field, v);
                }
            }
            line.set("type", d.plaintext().get("type"));
            line.set("content", d.plaintext().get("content"));
        } else if (event == null) {
            line = Json.MAPPER.createObjectNode();
        } else {
            line = event;
            line.remove("decryption");
        }
        line.set("decryption", HistoryWriter.decryption(outcome));
        return line;
    }

    static String text(ObjectNode line) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator gen = Json.factory().createGenerator(w)) {
            Json.MAPPER.writeTree(gen, line);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree cannot be written to memory", e);
        }
        return w.toString();
    }
}
