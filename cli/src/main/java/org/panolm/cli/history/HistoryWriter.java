package org.panolm.cli.history;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.cli.Json;
import org.panolm.cli.io.InputEvent;
import org.panolm.megolm.KeyProvenance;

/**
 * Writes one JSON Lines line per input event. A decrypted event keeps {@code event_id}, {@code room_id},
 * {@code sender} and {@code origin_server_ts}, takes {@code type} and {@code content} from the plaintext and
 * gains a {@code decryption} object; a failed event keeps its fields and gains {@code decryption} with the
 * code and reason; other events are written unchanged (byte for byte when they came as JSON Lines).
 */
final class HistoryWriter {
    private static final String[] KEPT = {"event_id", "room_id", "sender", "origin_server_ts"};

    private final OutputStream out;
    private final JsonGenerator gen;

    HistoryWriter(OutputStream out) throws IOException {
        this.out = out;
        this.gen = Json.factory().createGenerator(out);
        // Flushing the generator before a raw pass-through line must not flush the file each time.
        gen.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        gen.setRootValueSeparator(null); // lines are separated by our own newlines, not Jackson's spaces
    }

    void write(InputEvent in, Outcome outcome) throws IOException {
        switch (outcome) {
            case Outcome.PassThrough p -> {
                if (in.raw() != null) {
                    gen.flush();
                    out.write(in.raw());
                    out.write('\n');
                    return;
                }
                writeLine(in.event());
            }
            case Outcome.Decrypted d -> writeLine(decrypted(in.event(), d));
            case Outcome.Failed f -> writeLine(failed(in.event(), f));
        }
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
        ObjectNode decryption = line.putObject("decryption");
        decryption.put("status", "ok");
        decryption.put("session_id", d.sessionId());
        decryption.put("message_index", d.messageIndex());
        if (d.senderKey() != null) {
            decryption.put("sender_key", d.senderKey());
        }
        // How far the result can be trusted, and why: a key from a backup or a file is never presented as
        // one received from its sender.
        if (d.provenance() != null) {
            decryption.put("trust", d.provenance().trust().jsonName());
            decryption.put("authenticated", d.provenance().authenticated());
            decryption.set("key_provenance", provenanceJson(d.provenance()));
        }
        if (d.copies() > 1) {
            decryption.put("key_copies", d.copies());
            decryption.put("key_copy", d.copy());
        }
        return line;
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

    private static ObjectNode failed(ObjectNode event, Outcome.Failed f) {
        ObjectNode line = event != null ? event : Json.MAPPER.createObjectNode();
        ObjectNode decryption = line.putObject("decryption");
        decryption.put("status", f.code());
        decryption.put("reason", f.reason());
        return line;
    }

    private void writeLine(JsonNode node) throws IOException {
        Json.MAPPER.writeTree(gen, node);
        gen.writeRaw('\n');
    }

    void flush() throws IOException {
        gen.flush();
        out.flush();
    }
}
