package org.panolm.keystore;

import java.util.Objects;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.export.ExportedRoomKey;
import org.panolm.megolm.ExportedSessionKey;
import org.panolm.megolm.KeyProvenance;

/**
 * An inbound Megolm session as the key store, backups and exports hold it: the exported room key (with
 * its room and session ids), where it came from, and the facts the merge rule compares. Its
 * {@code toString} shows ids and metadata, never the session key.
 *
 * @param key             the session, with {@code room_id} and {@code session_id} set; its {@code session_key}
 *                        must be an export of that session
 * @param firstKnownIndex the first message index the key can decrypt: the index inside {@code session_key}
 * @param provenance      where this copy came from; {@link KeyProvenance#authenticated()} is the spec's
 *                        {@code is_verified} for the merge rule
 * @param forwardedCount  how many times the key was forwarded before it reached us (0 = from its creator)
 */
public record RoomKeyRecord(ExportedRoomKey key, long firstKnownIndex, KeyProvenance provenance, long forwardedCount) {

    /** Checks the ids and ranges. */
    public RoomKeyRecord {
        if (key == null) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "room key record without a key");
        }
        if (key.roomId() == null || key.sessionId() == null) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "room key record needs room_id and session_id");
        }
        Objects.requireNonNull(provenance, "provenance");
        if (firstKnownIndex < 0 || firstKnownIndex > 0xFFFF_FFFFL) {
            throw new PanolmException(Status.INVALID_ARGUMENT,
                    "first known index of session " + key.sessionId() + " is out of range");
        }
        if (forwardedCount < 0) {
            throw new PanolmException(Status.INVALID_ARGUMENT,
                    "forwarded count of session " + key.sessionId() + " is negative");
        }
        ExportedSessionKey sessionKey = key.exportedSessionKey();
        if (!sessionKey.sessionId().equals(key.sessionId())) {
            throw new PanolmException(Status.BAD_KEY, "session_key of room " + key.roomId() + " belongs to session "
                    + sessionKey.sessionId() + ", not to " + key.sessionId());
        }
        if (sessionKey.firstIndex() != firstKnownIndex) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "session " + key.sessionId() + ": first known index "
                    + firstKnownIndex + " is not the index of its session_key (" + sessionKey.firstIndex() + ")");
        }
    }

    /**
     * A record whose first index is read from the session key itself, after checking that the key is in the
     * export format and belongs to the session id it is filed under (filled in when missing).
     *
     * @param key the key, with its room id
     * @param provenance where it came from
     * @param forwardedCount how many times it was forwarded before it reached us
     * @return the record
     */
    public static RoomKeyRecord of(ExportedRoomKey key, KeyProvenance provenance, long forwardedCount) {
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
        return new RoomKeyRecord(filed, sessionKey.firstIndex(), provenance, forwardedCount);
    }

    /**
     * Whether this copy is authenticated (see {@link KeyProvenance#authenticated()}).
     *
     * @return true for a key from its creator's matching device, or our own
     */
    public boolean authenticated() {
        return provenance.authenticated();
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

    /**
     * The session key, decoded (the caller should not keep it longer than needed).
     *
     * @return the export-format key
     */
    public ExportedSessionKey sessionKey() {
        return key.exportedSessionKey();
    }
}
