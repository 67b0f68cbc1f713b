package org.panolm.cli.history;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.cli.Json;
import org.panolm.megolm.KeyProvenance;

/**
 * Writes one JSON Lines line per input event, each with a {@code decryption} object that only panolm
 * writes: whatever {@code decryption} an input event carries is dropped, so no input can pass for a
 * decryption. A decrypted event keeps {@code event_id}, {@code room_id}, {@code sender} and
 * {@code origin_server_ts} and takes {@code type} and {@code content} from the plaintext; a failed event
 * keeps its fields; an event that was not encrypted keeps its fields and says so; an item that is no event
 * (malformed, or an object without a {@code type}) is written as its error alone, never echoed.
 */
public final class HistoryWriter {
    /** The field panolm writes; never taken from the input. */
    static final String DECRYPTION = "decryption";
    private static final String[] KEPT = {"event_id", "room_id", "sender", "origin_server_ts"};

    private final OutputStream out;
    private final JsonGenerator gen;

    HistoryWriter(OutputStream out) throws IOException {
        this.out = out;
        this.gen = Json.factory().createGenerator(out);
        gen.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        gen.setRootValueSeparator(null); // lines are separated by our own newlines, not Jackson's spaces
    }

    /** @param event the input event, or null for an item that is no event (then only the error is written) */
    void write(ObjectNode event, Outcome outcome) throws IOException {
        ObjectNode line = switch (outcome) {
            case Outcome.Decrypted d -> decrypted(event, d);
            case Outcome.NotEncrypted n -> withoutDecryption(event);
            case Outcome.Failed f -> withoutDecryption(event);
        };
        line.set(DECRYPTION, decryption(outcome));
        Json.MAPPER.writeTree(gen, line);
        gen.writeRaw('\n');
    }

    /**
     * The {@code decryption} object of every line, built in this one place: {@code status} ({@code ok},
     * {@code not_encrypted} or a failure code) and what goes with it. Every writer of decrypted history
     * (the CLI, the Spark job) uses this, so the object is the same wherever a history is decrypted.
     *
     * @param outcome what became of the event
     * @return a new object node
     */
    public static ObjectNode decryption(Outcome outcome) {
        ObjectNode decryption = Json.MAPPER.createObjectNode();
        switch (outcome) {
            case Outcome.Decrypted d -> {
                decryption.put("status", "ok");
                decryption.put("session_id", d.sessionId());
                decryption.put("message_index", d.messageIndex());
                if (d.senderKey() != null) {
                    decryption.put("sender_key", d.senderKey());
                }
                // How far the result can be trusted, and why: a key from a backup or a file is never
                // presented as one received from its sender.
                if (d.provenance() != null) {
                    decryption.put("trust", d.provenance().trust().jsonName());
                    decryption.put("authenticated", d.provenance().authenticated());
                    decryption.set("key_provenance", provenanceJson(d.provenance()));
                }
                if (d.copies() > 1) {
                    decryption.put("key_copies", d.copies());
                    decryption.put("key_copy", d.copy());
                }
            }
            case Outcome.NotEncrypted n -> decryption.put("status", "not_encrypted");
            case Outcome.Failed f -> {
                decryption.put("status", f.code());
                decryption.put("reason", f.reason());
            }
        }
        return decryption;
    }

    /** A history has few distinct provenances: each is turned into JSON once (the node is only ever written). */
    private static final Map<KeyProvenance, JsonNode> PROVENANCE_JSON = new ConcurrentHashMap<>();

    private static JsonNode provenanceJson(KeyProvenance p) {
        JsonNode node = PROVENANCE_JSON.get(p);
        if (node == null) {
            node = Json.MAPPER.valueToTree(p);
            if (PROVENANCE_JSON.size() < 1024) PROVENANCE_JSON.put(p, node);
        }
        return node;
    }

    private static ObjectNode decrypted(ObjectNode event, Outcome.Decrypted d) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        for (String field : KEPT) {
            JsonNode v = event.get(field);
            if (v != null) {
                line.set(field, v);
            }
        }
        line.set("type", d.plaintext().get("type"));
        line.set("content", d.plaintext().get("content"));
        return line;
    }

    /** The event as it came, without a {@code decryption} of its own (an item that is no event has no fields). */
    private static ObjectNode withoutDecryption(ObjectNode event) {
        if (event == null) {
            return Json.MAPPER.createObjectNode();
        }
        event.remove(DECRYPTION);
        return event;
    }

    void flush() throws IOException {
        gen.flush();
        out.flush();
    }
}
