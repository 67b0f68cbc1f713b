package org.panolm.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The tests read the engine's JSON text with Jackson. */
final class TestJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestJson() {}

    /** The tree of JSON text the engine handed out. */
    static ObjectNode tree(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Events as the JSON text the engine takes. */
    static List<String> texts(List<? extends JsonNode> events) {
        return events.stream().map(JsonNode::toString).toList();
    }
}
