package org.panolm.engine;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The engine's one JSON mapper, and the small reads every part of it needs. */
final class EngineJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private EngineJson() {}

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses JSON from the server or a peer; a parse failure names what was being read, never the input. */
    static JsonNode parse(String json, String what) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null) throw new EngineException(what + " is empty");
            return node;
        } catch (IOException e) {
            throw new EngineException(what + " is not JSON");
        }
    }

    static JsonNode parse(byte[] json, String what) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null) throw new EngineException(what + " is empty");
            return node;
        } catch (IOException e) {
            throw new EngineException(what + " is not JSON");
        }
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A string field, or null when absent or not a string. */
    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** A JSON string literal of {@code s}, quotes included. */
    static String quote(String s) {
        return write(s);
    }
}
