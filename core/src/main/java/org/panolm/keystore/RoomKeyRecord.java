package org.panolm.keystore;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.export.ExportedRoomKey;
import org.panolm.megolm.ExportedSessionKey;

/**
 * An inbound Megolm session as the key store, backups and exports hold it: the exported room key (with
 * its room and session ids) and the three facts the merge rule compares. Its {@code toString} shows ids
 * and metadata, never the session key.
 *
 * @param key            the session, with {@code room_id} and {@code session_id} set
 * @param firstKnownIndex the first message index the key can decrypt (the index inside {@code session_key})
 * @param verified       whether the session's signing key was verified as the sender's (false for anything
 *                       restored from a backup, whose entries are unauthenticated)
 * @param forwardedCount how many times the key was forwarded before it reached us (0 = from its creator)
 */
public record RoomKeyRecord(ExportedRoomKey key, long firstKnownIndex, boolean verified, long forwardedCount) {

    /** Checks the ids and ranges. */
    public RoomKeyRecord {
        if (key == null) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "room key record without a key");
        }
        if (key.roomId() == null || key.sessionId() == null) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "room key record needs room_id and session_id");
        }
        if (firstKnownIndex < 0 || firstKnownIndex > 0xFFFF_FFFFL) {
            throw new PanolmException(Status.INVALID_ARGUMENT,
                    "first known index of session " + key.sessionId() + " is out of range");
        }
        if (forwardedCount < 0) {
            throw new PanolmException(Status.INVALID_ARGUMENT,
                    "forwarded count of session " + key.sessionId() + " is negative");
        }
    }

    /**
     * A record whose first index is read from the session key itself, after checking that the key is in the
     * export format and belongs to the session id it is filed under.
     *
     * @param key the exported room key
     * @param verified whether the session's signing key was verified as the sender's
     * @param forwardedCount how many times the key was forwarded
     * @return the record
     */
    public static RoomKeyRecord of(ExportedRoomKey key, boolean verified, long forwardedCount) {
        if (key == null) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "room key record without a key");
        }
        ExportedSessionKey sessionKey = key.exportedSessionKey();
        String sessionId = sessionKey.sessionId();
        if (key.sessionId() != null && !key.sessionId().equals(sessionId)) {
            throw new PanolmException(Status.BAD_KEY, "session_key of room " + key.roomId() + " belongs to session "
                    + sessionId + ", not to " + key.sessionId());
        }
        ExportedRoomKey filed = key.sessionId() == null ? key.withRoomAndSession(key.roomId(), sessionId) : key;
        return new RoomKeyRecord(filed, sessionKey.firstIndex(), verified, forwardedCount);
    }

    /**
     * The room of the session.
     *
     * @return the room id
     */
    public String roomId() {
        return key.roomId();
    }

    /**
     * The session id.
     *
     * @return the session id
     */
    public String sessionId() {
        return key.sessionId();
    }

    /**
     * The session's room and id.
     *
     * @return the reference
     */
    public SessionRef ref() {
        return new SessionRef(key.roomId(), key.sessionId());
    }
}
