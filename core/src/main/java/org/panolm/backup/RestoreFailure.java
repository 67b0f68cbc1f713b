package org.panolm.backup;

import org.jspecify.annotations.Nullable;
import org.panolm.PanolmException;
import org.panolm.export.InvalidRoomKeyException;
import org.panolm.keystore.SessionRef;

/**
 * A backed-up entry that could not be restored, and why, as data: its room, its session (null when the
 * room's whole entry was unreadable), the JSON field at fault (null when no one field is), and the error.
 *
 * @param roomId the room the entry is filed under
 * @param sessionId the session id the entry is filed under, or null for a room's whole entry
 * @param field the JSON field at fault, a dotted path inside the entry, or null
 * @param error why, with the same facts in words; never key material or the field's value
 */
public record RestoreFailure(String roomId, @Nullable String sessionId, @Nullable String field, PanolmException error) {

    static RestoreFailure of(InvalidRoomKeyException e) {
        return new RestoreFailure(e.roomId(), e.sessionId(), e.field(), e);
    }

    static RestoreFailure of(SessionRef ref, PanolmException e) {
        return new RestoreFailure(ref.roomId(), ref.sessionId(), e instanceof InvalidRoomKeyException i ? i.field() : null, e);
    }

    /**
     * The session.
     *
     * @return the session, or null when the failure is a whole room's entry
     */
    public @Nullable SessionRef session() {
        return sessionId == null ? null : new SessionRef(roomId, sessionId);
    }
}
