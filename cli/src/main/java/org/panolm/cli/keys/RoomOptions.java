package org.panolm.cli.keys;

import java.util.List;
import java.util.Set;

import picocli.CommandLine.Option;

/** {@code --room ID}, repeatable: limits a command to those rooms. */
public final class RoomOptions {
    @Option(names = "--room", paramLabel = "ROOM_ID",
            description = "Only keys of this room (repeatable; default: every room).")
    List<String> rooms;

    public Set<String> rooms() {
        return rooms == null ? Set.of() : Set.copyOf(rooms);
    }
}
