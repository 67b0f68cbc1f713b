package org.panolm.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * panolm's do-not-store flag, an extension the Matrix specification does not have: a sender asks that a room's
 * or a Megolm session's messages not be kept. A session so flagged is never backed up, exported or archived in
 * plaintext, and the flag travels with its key.
 *
 * <p>On the wire it is {@value #FIELD}{@code : true} in a room's {@code m.room.encryption} content (the room) and
 * in {@code m.room_key} / {@code m.forwarded_room_key} content (the session). Other clients ignore the field.
 */
public final class DoNotStore {
    /** The namespaced field, in {@code m.room.encryption}, {@code m.room_key} and {@code m.forwarded_room_key}. */
    public static final String FIELD = "io.panolm.do_not_store";

    private DoNotStore() {}

    /**
     * Whether a content asks for the flag. Any value but an absent one, {@code null} or {@code false} counts:
     * a malformed flag errs towards keeping less.
     *
     * @param content an event content (may be null)
     * @return true when the flag is asked for
     */
    public static boolean requested(JsonNode content) {
        if (content == null) return false;
        JsonNode v = content.get(FIELD);
        return v != null && !v.isNull() && !(v.isBoolean() && !v.booleanValue());
    }

    /**
     * Sets the flag in a content about to be sent.
     *
     * @param content the content
     * @return the same content
     */
    static ObjectNode mark(ObjectNode content) {
        return content.put(FIELD, true);
    }
}
