package org.panolm.client.internal;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.engine.internal.EngineTrees;

/**
 * The client's one Jackson mapper (unknown fields of a record are ignored: servers add fields), and the one place
 * JSON text crosses the client's API. Not exported: the API speaks JSON text, records and maps.
 */
public final class ClientJson {
    /** The mapper every part of the client reads and writes with. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ClientJson() {}

    /**
     * A caller's JSON text that must be one JSON object, parsed.
     *
     * @param json the text
     * @param argument the argument's name, for the error
     * @return the object
     * @throws IllegalArgumentException naming {@code argument} when it is null or not exactly one JSON object
     */
    public static ObjectNode argument(String json, String argument) {
        return EngineTrees.argument(json, argument);
    }

    /**
     * Whether {@code json} is exactly one JSON object (checked without building a tree).
     *
     * @param json the text
     * @return true when it is
     */
    public static boolean isObject(String json) {
        try {
            EngineTrees.requireObject(json, "json");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * JSON text the client built or received (and so knows to be a JSON object), as a tree.
     *
     * @param json the text
     * @return the object
     */
    public static ObjectNode tree(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A value as JSON text.
     *
     * @param value a record, a map or a tree
     * @return the text
     */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
