package org.panolm.cli.io;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One item of the input, in input order: either an event object, or a malformed item with the reason it
 * could not be read. Every item of the input becomes exactly one line of output.
 *
 * @param ordinal  0-based position in the input
 * @param location where it is, for messages: {@code line 12} or {@code element 12}
 * @param event    the event object, or null when malformed
 * @param problem  why the item is malformed (its position, never its content), or null
 * @param size     how many input bytes it took (at most the maximum event size), for batch memory bounds
 */
public record InputEvent(long ordinal, String location, ObjectNode event, String problem, int size) {
    public static InputEvent of(long ordinal, String location, ObjectNode event, int size) {
        return new InputEvent(ordinal, location, event, null, size);
    }

    public static InputEvent malformed(long ordinal, String location, String problem) {
        return new InputEvent(ordinal, location, null, problem, 0);
    }

    public boolean isMalformed() {
        return event == null;
    }
}
