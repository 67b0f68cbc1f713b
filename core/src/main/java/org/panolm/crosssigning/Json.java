package org.panolm.crosssigning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.internal.json.CanonicalTree;

/** Strict field access for the key objects of this package; errors name the object and field. */
final class Json {
    private Json() {}

    /** Parses JSON text strictly (duplicate keys refused) and requires an object. */
    static ObjectNode parseObject(String json, String what) {
        return object(CanonicalTree.parse(json), what);
    }

    static ObjectNode object(JsonNode node, String what) {
        if (node instanceof ObjectNode o) {
            return o;
        }
        throw new PanolmException(Status.BAD_MESSAGE_FORMAT, what + " must be a JSON object");
    }

    static String text(JsonNode parent, String field, String what) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isTextual()) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT, what + "." + field + " is missing or not a string");
        }
        return v.textValue();
    }

    static List<String> textList(JsonNode parent, String field, String what) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isArray()) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT, what + "." + field + " is missing or not an array");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new PanolmException(Status.BAD_MESSAGE_FORMAT, what + "." + field + " has a non-string entry");
            }
            out.add(e.textValue());
        }
        return List.copyOf(out);
    }

    static Map<String, String> textMap(JsonNode parent, String field, String what) {
        ObjectNode o = object(parent.get(field), what + "." + field);
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : o.properties()) {
            if (!e.getValue().isTextual()) {
                throw new PanolmException(Status.BAD_MESSAGE_FORMAT, what + "." + field + "[" + e.getKey() + "] is not a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return Map.copyOf(out);
    }
}
