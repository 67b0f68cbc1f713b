package org.panolm.cli.io;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One item of the input, in input order: either an event object, or a malformed item with the reason it
 * could not be read. Every item of the input becomes exactly one line of output.
 *
 * @param ordinal  0-based position in the input
 * @param location where it is, for messages: {@code line 12} or {@code element 12}
 * @param event    the event object, or null when malformed
 * @param raw      the exact input bytes of a JSON Lines line (passed through unchanged), else null
 * @param problem  why the item is malformed, or null
 */
public record InputEvent(long ordinal, String location, ObjectNode event, byte[] raw, String problem) {
    public static InputEvent of(long ordinal, String location, ObjectNode event, byte[] raw) {
        return new InputEvent(ordinal, location, event, raw, null);
    }

    public static InputEvent malformed(long ordinal, String location, String problem) {
        return new InputEvent(ordinal, location, null, null, problem);
    }

    public boolean isMalformed() {
        return event == null;
    }
}
