package org.panolm.spark;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.cli.history.HistoryPipeline;
import org.panolm.cli.io.EventParser;
import org.panolm.cli.io.JsonLimits;

/**
 * One input row read as the CLI reads a JSON Lines line: parsed with the CLI's parser and limits, then
 * sorted into encrypted, not encrypted, or no event at all (malformed, or an object without a string
 * {@code type}), by the same rule as {@code panolm history decrypt}.
 *
 * @param event   the event, or null when the row is no event
 * @param problem why the row is no event, or null
 */
record EventKind(ObjectNode event, String problem) {
    /** Where a bad row's reason says it was: rows have no line numbers of their own. */
    static final String WHERE = "an input row";

    static EventKind read(EventParser parser, JsonLimits limits, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > limits.maxEventBytes()) {
            return new EventKind(null, WHERE + " is longer than " + limits.describeSize() + " (the maximum event size)");
        }
        return switch (parser.parse(bytes, 0, bytes.length, 1, 1)) {
            case EventParser.Parsed p -> {
                JsonNode type = p.event().get("type");
                yield type == null || !type.isTextual()
                        ? new EventKind(null, WHERE + ": type is missing or not a string")
                        : new EventKind(p.event(), null);
            }
            case EventParser.NotAnObject n -> new EventKind(null, WHERE + " is " + n.what() + ", not an event object");
            case EventParser.Problem p -> new EventKind(null, WHERE + ": " + p.message());
        };
    }

    boolean isEvent() {
        return event != null;
    }

    boolean isEncrypted() {
        return event != null && HistoryPipeline.ENCRYPTED_TYPE.equals(event.get("type").textValue());
    }

    /** @return the session id an encrypted event names, or null */
    String sessionId() {
        JsonNode s = event == null ? null : event.path("content").get("session_id");
        return s != null && s.isTextual() && !s.textValue().isEmpty() ? s.textValue() : null;
    }

    long messageIndex() {
        JsonNode c = event == null ? null : event.path("content").get("ciphertext");
        return c != null && c.isTextual() ? CiphertextIndex.of(c.textValue()) : -1;
    }
}
