package org.panolm.internal.json;

import com.fasterxml.jackson.databind.JsonNode;

import org.jspecify.annotations.Nullable;
import org.panolm.megolm.PreparedBatch;
import org.panolm.megolm.SessionLookup;

/**
 * Adds already parsed events to a {@link PreparedBatch}: the fast path for panolm's own modules, which read
 * history as Jackson trees and would otherwise write each event back to text for the public
 * {@code addEvent(String, ...)}. The code is {@code PreparedBatch}'s own; it hands it here when it loads, so
 * the tree-speaking method is reachable without being part of the API.
 */
public final class TreeBatches {
    private TreeBatches() {}

    /** The batch's tree path, as {@code PreparedBatch} registers it. */
    @FunctionalInterface
    public interface Adder {
        /**
         * Adds one parsed event.
         *
         * @param batch the batch
         * @param event the event
         * @param roomId its room when the event has no {@code room_id}, or null
         * @param sessions finds the session of a session id
         * @return the message's position in the batch
         */
        int addEvent(PreparedBatch batch, JsonNode event, @Nullable String roomId, SessionLookup sessions);
    }

    private static volatile @Nullable Adder adder;

    /**
     * Called once, by {@code PreparedBatch}'s class initialiser.
     *
     * @param a the batch's tree path
     */
    public static void register(Adder a) {
        if (adder != null) {
            throw new IllegalStateException("the batch tree path is registered already");
        }
        adder = a;
    }

    /**
     * As {@link PreparedBatch#addEvent(String, String, SessionLookup)}, for an already parsed event.
     *
     * @param batch the batch
     * @param event the event
     * @param roomId its room when the event has no {@code room_id}, or null
     * @param sessions finds the session of a session id
     * @return the message's position in the batch
     */
    public static int addEvent(PreparedBatch batch, JsonNode event, @Nullable String roomId, SessionLookup sessions) {
        // A batch exists, so its class was initialised and registered.
        Adder a = adder;
        if (a == null) {
            throw new IllegalStateException("PreparedBatch did not register its tree path");
        }
        return a.addEvent(batch, event, roomId, sessions);
    }
}
