package org.panolm.cli.render;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * One line of decrypted history, read for display. Every accessor tolerates missing or wrongly typed fields
 * (an archive may hold failed events, unencrypted events and items that are no event at all): what is not
 * there is shown as missing, never guessed.
 *
 * @param seq   the line's position in the input (the anchor of the event in a transcript)
 * @param event the line as JSON
 */
record TranscriptEvent(long seq, JsonNode event) {
    String eventId() {
        return text(event.path("event_id"));
    }

    String sender() {
        return text(event.path("sender"));
    }

    String type() {
        return text(event.path("type"));
    }

    /** @return the time, or null when the line has none */
    Instant time() {
        JsonNode ts = event.path("origin_server_ts");
        return ts.isIntegralNumber() && ts.canConvertToLong() ? Instant.ofEpochMilli(ts.longValue()) : null;
    }

    boolean isState() {
        return event.path("state_key").isTextual();
    }

    JsonNode content() {
        JsonNode c = event.path("content");
        return c.isObject() ? c : MissingNode.getInstance();
    }

    JsonNode decryption() {
        return event.get("decryption");
    }

    Shield shield() {
        return Shield.of(decryption(), isState());
    }

    /** Whether the content shown is the decrypted or cleartext content (not a failed event's ciphertext). */
    boolean readable() {
        String status = event.path("decryption").path("status").asText("");
        return "ok".equals(status) || "not_encrypted".equals(status);
    }

    /** @return the event this one replies to, or null */
    String replyTo() {
        return readable() ? text(content().path("m.relates_to").path("m.in_reply_to").path("event_id")) : null;
    }

    /** @return the event this one edits ({@code m.replace}), or null */
    String replaces() {
        JsonNode rel = content().path("m.relates_to");
        return readable() && "m.replace".equals(text(rel.path("rel_type"))) && content().path("m.new_content").isObject()
                ? text(rel.path("event_id")) : null;
    }

    /** The body of a message, without the quoted fallback a reply carries before its own text. */
    static String body(JsonNode content, boolean isReply) {
        String body = text(content.path("body"));
        if (body == null || !isReply || !body.startsWith("> ")) {
            return body;
        }
        // A reply's fallback is "> " lines, then an empty line, then the reply itself.
        int i = 0;
        while (i < body.length() && body.startsWith("> ", i)) {
            int nl = body.indexOf('\n', i);
            if (nl < 0) {
                return body;
            }
            i = nl + 1;
        }
        return body.startsWith("\n", i) ? body.substring(i + 1) : body;
    }

    static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.textValue() : null;
    }
}
