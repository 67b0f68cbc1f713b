package org.panolm.export;

import java.util.Collection;
import java.util.Set;
import java.util.function.Predicate;

import org.panolm.keystore.SessionFilter;

/**
 * Which room keys an export, import or restore takes, by room id and session id: all of them, those of
 * chosen rooms, or chosen sessions. An empty set means "no restriction" on that axis; both sets given
 * means a key must match both. It is a {@link SessionFilter}, so the key store takes it as well.
 */
public record RoomKeyFilter(Set<String> roomIds, Set<String> sessionIds)
        implements SessionFilter, Predicate<ExportedRoomKey> {
    public static final RoomKeyFilter ALL = new RoomKeyFilter(Set.of(), Set.of());

    public RoomKeyFilter {
        roomIds = roomIds == null ? Set.of() : Set.copyOf(roomIds);
        sessionIds = sessionIds == null ? Set.of() : Set.copyOf(sessionIds);
    }

    public static RoomKeyFilter rooms(Collection<String> roomIds) {
        return new RoomKeyFilter(Set.copyOf(roomIds), Set.of());
    }

    public static RoomKeyFilter rooms(String... roomIds) {
        return rooms(Set.of(roomIds));
    }

    public static RoomKeyFilter sessions(Collection<String> sessionIds) {
        return new RoomKeyFilter(Set.of(), Set.copyOf(sessionIds));
    }

    public static RoomKeyFilter sessions(String... sessionIds) {
        return sessions(Set.of(sessionIds));
    }

    public boolean selectsAll() {
        return roomIds.isEmpty() && sessionIds.isEmpty();
    }

    @Override
    public boolean accepts(String roomId, String sessionId) {
        return (roomIds.isEmpty() || roomIds.contains(roomId))
                && (sessionIds.isEmpty() || sessionIds.contains(sessionId));
    }

    @Override
    public boolean test(ExportedRoomKey key) {
        return accepts(key.roomId(), key.sessionId());
    }
}
