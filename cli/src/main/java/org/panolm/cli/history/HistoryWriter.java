package org.panolm.cli.history;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;

import org.panolm.cli.Json;
import org.panolm.megolm.KeyProvenance;

/**
 * Writes one JSON Lines line per input event, each with a {@code decryption} object that only panolm
 * writes: whatever {@code decryption} an input event carries is dropped, so no input can pass for a
 * decryption. A decrypted event keeps {@code event_id}, {@code room_id}, {@code sender} and
 * {@code origin_server_ts} and takes {@code type} and {@code content} from the plaintext; a failed event
 * keeps its fields; an event that was not encrypted keeps its fields and says so; an item that is no event
 * (malformed, or an object without a {@code type}) is written as its error alone, never echoed. The one
 * builder of these lines: the CLI writes a stream of them, the Spark job one line per output row.
 */
public final class HistoryWriter {
    /** The field panolm writes; never taken from the input. */
    static final String DECRYPTION = "decryption";
    private static final String[] KEPT = {"event_id", "room_id", "sender", "origin_server_ts"};

    private final OutputStream out;
    private final JsonGenerator gen;
    private final SerializerProvider provider;

    /**
     * @param out where the lines go (buffered here: {@link #flush()} passes them on)
     * @throws IOException if no generator can be made over {@code out}
     */
    public HistoryWriter(OutputStream out) throws IOException {
        this.out = out;
        this.gen = Json.factory().createGenerator(out);
        gen.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        gen.setRootValueSeparator(null); // lines are separated by our own newlines, not Jackson's spaces
        // One provider for the writer's life (ObjectMapper.writeTree makes one per call); only this thread uses it.
        this.provider = Json.MAPPER.getSerializerProviderInstance();
    }

    /**
     * Writes one line, ended by a newline.
     *
     * @param event   the input event, or null for an item that is no event (then only the error is written)
     * @param outcome what became of it
     * @throws IOException if the output cannot be written
     */
    public void write(ObjectNode event, Outcome outcome) throws IOException {
        // Written field by field as the generator goes: no line tree is built per event.
        gen.writeStartObject();
        if (outcome instanceof Outcome.Decrypted d) {
            for (String field : KEPT) {
                JsonNode v = event.get(field);
                if (v != null) {
                    writeField(field, v);
                }
            }
            gen.writeStringField("type", d.plaintext().type());
            gen.writeFieldName("content");
            d.plaintext().writeContent(gen, provider);
        } else if (event != null) {
            // The event as it came, without a decryption of its own.
            for (Iterator<Map.Entry<String, JsonNode>> it = event.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!DECRYPTION.equals(field.getKey())) {
                    writeField(field.getKey(), field.getValue());
                }
            }
        }
        gen.writeFieldName(DECRYPTION);
        writeDecryption(gen, provider, outcome, true);
        gen.writeEndObject();
        gen.writeRaw('\n');
    }

    /** A field whose value is a tree (absent: null, as a tree line with a missing node would say). */
    private void writeField(String name, JsonNode value) throws IOException {
        gen.writeFieldName(name);
        if (value == null) {
            gen.writeNull();
        } else {
            value.serialize(gen, provider);
        }
    }

    /**
     * The {@code decryption} object of every line, written in this one place: {@code status} ({@code ok},
     * {@code not_encrypted} or a failure code) and what goes with it. Every writer of decrypted history
     * (the CLI, the Spark job) uses this, so the object is the same wherever a history is decrypted.
     */
    private static void writeDecryption(JsonGenerator gen, SerializerProvider provider, Outcome outcome,
                                        boolean rawProvenance) throws IOException {
        gen.writeStartObject();
        switch (outcome) {
            case Outcome.Decrypted d -> {
                gen.writeStringField("status", status(d));
                gen.writeStringField("session_id", d.sessionId());
                gen.writeNumberField("message_index", d.messageIndex());
                if (d.senderKey() != null) {
                    gen.writeStringField("sender_key", d.senderKey());
                }
                // How far the result can be trusted, and why: a key from a backup or a file is never
                // presented as one received from its sender.
                if (d.provenance() != null) {
                    gen.writeStringField("trust", d.provenance().trust().jsonName());
                    gen.writeBooleanField("authenticated", d.provenance().authenticated());
                    gen.writeFieldName("key_provenance");
                    if (rawProvenance) {
                        gen.writeRawValue(provenanceBytes(d.provenance()));
                    } else {
                        Json.MAPPER.valueToTree(d.provenance()).serialize(gen, provider);
                    }
                }
                if (d.copies() > 1) {
                    gen.writeNumberField("key_copies", d.copies());
                    gen.writeNumberField("key_copy", d.copy());
                }
            }
            case Outcome.NotEncrypted n -> gen.writeStringField("status", status(n));
            case Outcome.WithheldDoNotStore w -> {
                gen.writeStringField("status", status(w));
                gen.writeStringField("session_id", w.sessionId());
                gen.writeStringField("reason", "the sender asked that this message not be kept (do-not-store)");
            }
            case Outcome.Failed f -> {
                gen.writeStringField("status", status(f));
                gen.writeStringField("reason", f.reason());
            }
        }
        gen.writeEndObject();
    }

    /**
     * The {@code status} of an outcome's {@code decryption} object.
     *
     * @param outcome what became of an event
     * @return {@code ok}, {@code not_encrypted}, {@code withheld_do_not_store} or the failure's code
     */
    public static String status(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Decrypted d -> "ok";
            case Outcome.NotEncrypted n -> "not_encrypted";
            case Outcome.WithheldDoNotStore w -> Outcome.WithheldDoNotStore.STATUS;
            case Outcome.Failed f -> f.code();
        };
    }

    /**
     * The {@code decryption} object as a tree, for writers that build their lines as trees (the online export):
     * the same fields as the command writes, from the same code.
     *
     * @param outcome what became of the event
     * @return a new object node
     */
    public static ObjectNode decryption(Outcome outcome) {
        TokenBuffer tokens = new TokenBuffer(Json.MAPPER, false);
        try {
            writeDecryption(tokens, Json.MAPPER.getSerializerProviderInstance(), outcome, false);
            try (JsonParser p = tokens.asParser()) {
                return (ObjectNode) Json.MAPPER.readTree(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a token buffer cannot fail", e);
        }
    }

    /**
     * A history has few distinct provenances: each is written once by the command's own generator (its escapes
     * included) and its bytes are copied into every line that carries it.
     */
    private static final Map<KeyProvenance, RawJson> PROVENANCE_JSON = new ConcurrentHashMap<>();

    private static RawJson provenanceBytes(KeyProvenance p) {
        RawJson raw = PROVENANCE_JSON.get(p);
        if (raw == null) {
            try {
                raw = new RawJson(Json.MAPPER.writeValueAsBytes(p));
            } catch (IOException e) {
                throw new UncheckedIOException("a provenance did not serialise", e);
            }
            if (PROVENANCE_JSON.size() < 1024) PROVENANCE_JSON.put(p, raw);
        }
        return raw;
    }

    /**
     * Passes the lines written so far on to the output stream, and flushes it.
     *
     * @throws IOException if the output cannot be written
     */
    public void flush() throws IOException {
        gen.flush();
        out.flush();
    }
}
