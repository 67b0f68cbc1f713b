package org.panolm.cli.io;

/** The three shapes an event history may arrive in; detected from the first bytes of the input. */
public enum InputFormat {
    /** One event object per line; a malformed line fails alone. */
    JSON_LINES("JSON Lines"),
    /** A JSON array of event objects. */
    JSON_ARRAY("a JSON array"),
    /** A {@code /messages} response: an object whose {@code chunk} array holds the events. */
    MESSAGES_RESPONSE("a /messages response");

    private final String description;

    InputFormat(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
