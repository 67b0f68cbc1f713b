package org.panolm.engine.store;

import java.util.Objects;

/**
 * An outgoing request not yet reported sent: kept so that a restart sends it again rather than losing it (a
 * to-device message carrying a room key, say, whose session is already stored).
 *
 * @param id the request id
 * @param type the request type's name
 * @param body the request body (JSON; may carry Olm ciphertext, sealed at rest like every row)
 */
public record PendingRequest(String id, String type, String body) {
    /** Checks the fields are given. */
    public PendingRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(body, "body");
    }

    @Override
    public String toString() {
        return "PendingRequest[" + id + ", " + type + "]";
    }
}
