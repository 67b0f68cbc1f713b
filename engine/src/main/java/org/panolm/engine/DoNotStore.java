package org.panolm.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jspecify.annotations.Nullable;
import org.panolm.engine.internal.EngineTrees;

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
     * @param contentJson an event content, JSON text (may be null: no flag)
     * @return true when the flag is asked for
     * @throws IllegalArgumentException when {@code contentJson} is not a JSON object
     */
    public static boolean requested(@Nullable String contentJson) {
        return contentJson != null && EngineTrees.doNotStore(EngineJson.argument(contentJson, "contentJson"));
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
