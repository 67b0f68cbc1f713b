package org.panolm.keystore;

import java.util.Objects;

/** Names one Megolm session: the room it belongs to and its session id (the base64 Ed25519 key). */
public record SessionRef(String roomId, String sessionId) {
    public SessionRef {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(sessionId, "sessionId");
    }
}
