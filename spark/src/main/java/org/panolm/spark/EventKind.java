package org.panolm.spark;

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

    /** @param bytes the row's UTF-8 text */
    static EventKind read(EventParser parser, JsonLimits limits, byte[] bytes) {
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

    /**
     * Puts a Synapse {@code event_json} row's id columns into the event when it lacks them (newer room
     * versions leave the event id out of the stored JSON).
     */
    void addIds(String eventId, String roomId) {
        if (event == null) {
            return;
        }
        if (eventId != null && !event.has("event_id")) {
            event.put("event_id", eventId);
        }
        if (roomId != null && !event.has("room_id")) {
            event.put("room_id", roomId);
        }
    }
}
