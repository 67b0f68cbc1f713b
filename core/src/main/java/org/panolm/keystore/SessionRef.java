package org.panolm.keystore;

import java.util.Objects;

/**
 * Names one Megolm session: the room it belongs to and its session id (the base64 Ed25519 key).
 *
 * @param roomId the room
 * @param sessionId the session id
 */
public record SessionRef(String roomId, String sessionId) {
    /** Both ids are required. */
    public SessionRef {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(sessionId, "sessionId");
    }
}
