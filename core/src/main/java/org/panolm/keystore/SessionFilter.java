package org.panolm.keystore;

import java.util.Objects;
import java.util.Set;

/**
 * Limits an export, import, restore or backup upload to chosen rooms or sessions. Filters combine with
 * {@link #or(SessionFilter)}.
 */
@FunctionalInterface
public interface SessionFilter {

    boolean accepts(String roomId, String sessionId);

    default boolean accepts(SessionRef ref) {
        return accepts(ref.roomId(), ref.sessionId());
    }

    default SessionFilter or(SessionFilter other) {
        Objects.requireNonNull(other, "other");
        return (room, session) -> accepts(room, session) || other.accepts(room, session);
    }

    static SessionFilter all() {
        return (room, session) -> true;
    }

    /** Every session of the given rooms. */
    static SessionFilter rooms(Set<String> roomIds) {
        Set<String> rooms = Set.copyOf(roomIds);
        return (room, session) -> rooms.contains(room);
    }

    /** Exactly the given sessions. */
    static SessionFilter sessions(Set<SessionRef> refs) {
        Set<SessionRef> chosen = Set.copyOf(refs);
        return (room, session) -> chosen.contains(new SessionRef(room, session));
    }
}
