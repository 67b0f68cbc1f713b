package org.panolm.keystore;

import java.util.Objects;
import java.util.Set;

/**
 * Limits an export, import, restore or backup upload to chosen rooms or sessions. Filters combine with
 * {@link #or(SessionFilter)}.
 */
@FunctionalInterface
public interface SessionFilter {

    /**
     * Whether the filter selects this session.
     *
     * @param roomId the session's room
     * @param sessionId the session id
     * @return true to select it
     */
    boolean accepts(String roomId, String sessionId);

    /**
     * Whether the filter selects this session.
     *
     * @param ref the session's room and id
     * @return true to select it
     */
    default boolean accepts(SessionRef ref) {
        return accepts(ref.roomId(), ref.sessionId());
    }

    /**
     * A filter that selects what this one or {@code other} selects.
     *
     * @param other the other filter
     * @return the union
     */
    default SessionFilter or(SessionFilter other) {
        Objects.requireNonNull(other, "other");
        return (room, session) -> accepts(room, session) || other.accepts(room, session);
    }

    /**
     * Every session.
     *
     * @return a filter that selects everything
     */
    static SessionFilter all() {
        return (room, session) -> true;
    }

    /**
     * Every session of the given rooms.
     *
     * @param roomIds the rooms
     * @return the filter
     */
    static SessionFilter rooms(Set<String> roomIds) {
        Set<String> rooms = Set.copyOf(roomIds);
        return (room, session) -> rooms.contains(room);
    }

    /**
     * Exactly the given sessions.
     *
     * @param refs the sessions
     * @return the filter
     */
    static SessionFilter sessions(Set<SessionRef> refs) {
        Set<SessionRef> chosen = Set.copyOf(refs);
        return (room, session) -> chosen.contains(new SessionRef(room, session));
    }
}
