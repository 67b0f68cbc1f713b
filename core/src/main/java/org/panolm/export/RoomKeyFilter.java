package org.panolm.export;

import java.util.Collection;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which room keys an export, import or restore takes: all of them, those of chosen rooms, or chosen
 * sessions. An empty set means "no restriction" on that axis; both sets given means a key must match both.
 */
public record RoomKeyFilter(Set<String> roomIds, Set<String> sessionIds) implements Predicate<ExportedRoomKey> {
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
    public boolean test(ExportedRoomKey key) {
        return (roomIds.isEmpty() || roomIds.contains(key.roomId()))
                && (sessionIds.isEmpty() || sessionIds.contains(key.sessionId()));
    }
}
