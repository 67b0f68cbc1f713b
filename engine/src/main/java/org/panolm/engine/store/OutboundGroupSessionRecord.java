package org.panolm.engine.store;

import java.util.Objects;
import java.util.Set;

/**
 * Our current Megolm session in a room, as the store keeps it: enough to rebuild it exactly where it was.
 *
 * @param roomId the room
 * @param sessionId the session id
 * @param sessionKey the session key at the current index (base64, the {@code m.room_key} form; a secret)
 * @param signingSeed the session's Ed25519 seed (base64; a secret)
 * @param createdMillis when it was created
 * @param messageCount how many messages it has encrypted (for {@code rotation_period_msgs})
 * @param sharedWith the devices it was shared with, as {@code user_id|device_id|curve25519_key}
 * @param shareKey the session key as of the last share call (a secret): what devices of that call get, even when
 *                 their query or claim completes after messages were sent
 */
public record OutboundGroupSessionRecord(String roomId, String sessionId, String sessionKey, String signingSeed,
                                         long createdMillis, long messageCount, Set<String> sharedWith,
                                         String shareKey) {
    /** Checks the fields and copies the set. */
    public OutboundGroupSessionRecord {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(sessionKey, "sessionKey");
        Objects.requireNonNull(signingSeed, "signingSeed");
        sharedWith = Set.copyOf(sharedWith);
        Objects.requireNonNull(shareKey, "shareKey");
    }

    /**
     * This record with another share key.
     *
     * @param key the session key to share from now on
     * @return the new record
     */
    public OutboundGroupSessionRecord withShareKey(String key) {
        return new OutboundGroupSessionRecord(roomId, sessionId, sessionKey, signingSeed, createdMillis, messageCount,
                sharedWith, key);
    }

    @Override
    public String toString() {
        return "OutboundGroupSessionRecord[" + roomId + ", " + sessionId + ", messages=" + messageCount + "]";
    }
}
