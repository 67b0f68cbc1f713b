package org.panolm.cli.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

/** Formats where in an input something went wrong, the way every message of the command names it. */
final class Location {
    private Location() {}

    static String of(String inputName, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? inputName : inputName + " line " + at.getLineNr() + ", column " + at.getColumnNr();
        return where + ": not valid JSON (" + e.getOriginalMessage() + ")";
    }

    static String describe(com.fasterxml.jackson.databind.JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
