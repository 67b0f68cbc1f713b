package org.panolm.engine.store;

import java.util.Objects;

/**
 * An Olm session as the store keeps it.
 *
 * @param senderKey the other device's Curve25519 identity key (unpadded base64)
 * @param sessionId the session id
 * @param pickle the session's pickle (a secret: sealed at rest)
 * @param createdMillis when the session was created (epoch milliseconds)
 * @param lastUsedMillis when it last encrypted or decrypted; the most recently used session is the one to send on
 */
public record OlmSessionRecord(String senderKey, String sessionId, String pickle, long createdMillis,
                               long lastUsedMillis) {
    /** Checks the fields are given. */
    public OlmSessionRecord {
        Objects.requireNonNull(senderKey, "senderKey");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(pickle, "pickle");
    }

    @Override
    public String toString() {
        return "OlmSessionRecord[" + senderKey + ", " + sessionId + "]";
    }
}
