package org.panolm.export;

import org.jspecify.annotations.Nullable;
import org.panolm.ErrorDetail;
import org.panolm.PanolmException;
import org.panolm.Status;

/**
 * One room key (an entry of an export file, a backup, a key list) that cannot be used or written, with
 * what is wrong as data: its room and session (either may be null when unknown), the JSON field at fault
 * (null when the problem is not one field's, such as a MAC that does not verify), and the problem. The
 * message says the same in words; neither ever contains key material or the field's value.
 */
public class InvalidRoomKeyException extends PanolmException {
    /** The key's room, or null. */
    private final String roomId;
    /** The key's session, or null. */
    private final String sessionId;
    /** The JSON field at fault, or null. */
    private final String field;
    /** What is wrong, without the value. */
    private final String problem;

    /**
     * A key that cannot be used or written.
     *
     * @param status the status the failure maps to
     * @param roomId the key's room, or null when unknown
     * @param sessionId the key's session, or null when unknown
     * @param field the JSON field at fault, or null when no one field is
     * @param problem what is wrong ("is missing"), without the field's value
     */
    public InvalidRoomKeyException(Status status, @Nullable String roomId, @Nullable String sessionId, @Nullable String field, String problem) {
        super(status, new ErrorDetail(subject(roomId, sessionId), null, field, null, problem));
        this.roomId = roomId;
        this.sessionId = sessionId;
        this.field = field;
        this.problem = problem;
    }

    private static String subject(String roomId, String sessionId) {
        StringBuilder s = new StringBuilder();
        if (roomId != null) s.append("room ").append(roomId);
        if (sessionId != null) s.append(s.isEmpty() ? "" : " ").append("session ").append(sessionId);
        return s.isEmpty() ? null : s.toString();
    }

    /**
     * The key's room.
     *
     * @return the room id, or null when unknown
     */
    public @Nullable String roomId() {
        return roomId;
    }

    /**
     * The key's session.
     *
     * @return the session id, or null when unknown
     */
    public @Nullable String sessionId() {
        return sessionId;
    }

    /**
     * The JSON field at fault.
     *
     * @return a dotted path inside the entry (e.g. {@code session_data.mac}), or null
     */
    public @Nullable String field() {
        return field;
    }

    /**
     * What is wrong, without the room, session or field.
     *
     * @return e.g. "is missing", "must be 32 bytes, not 3"
     */
    public String problem() {
        return problem;
    }
}
