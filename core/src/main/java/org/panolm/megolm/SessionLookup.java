package org.panolm.megolm;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Finds the inbound session for a {@code session_id}; null when none is known. {@code Map::get} fits.
 *
 * <p>A holder of several copies of one session (copies whose ratchets do not connect, so at most one is the
 * sender's) overrides {@link #copies}: the batch decrypts with the first and retries a message that fails
 * {@code BAD_MAC} or {@code UNKNOWN_INDEX} with the others, so a forged copy cannot cost a decryption.
 */
@FunctionalInterface
public interface SessionLookup {
    /**
     * The session with this id.
     *
     * @param sessionId the session id of an event
     * @return the session, or null when none is known
     */
    @Nullable MegolmInboundSession find(String sessionId);

    /**
     * Every copy held of the session for an event of room {@code roomId} (null when the event names no
     * room), the one to try first first. By default, {@link #find}'s session alone.
     *
     * @param roomId the event's room, or null
     * @param sessionId the session id of the event
     * @return the copies; empty when none is known
     */
    default List<MegolmInboundSession> copies(@Nullable String roomId, String sessionId) {
        MegolmInboundSession s = find(sessionId);
        return s == null ? List.of() : List.of(s);
    }
}
