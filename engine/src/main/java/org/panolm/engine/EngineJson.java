package org.panolm.engine;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jspecify.annotations.Nullable;
import org.panolm.engine.internal.EngineTrees;

/**
 * The engine's one JSON mapper, the small reads every part of it needs, and the one place JSON text crosses the
 * engine's API: text from a caller is parsed and checked here, and request bodies are written here (their JSON-text
 * parts embedded as JSON values, exactly the spec's body).
 */
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

    /** A caller's JSON text that must be one JSON object, parsed ({@link EngineTrees#argument}). */
    static ObjectNode argument(String json, String argument) {
        return EngineTrees.argument(json, argument);
    }

    /** Checks that {@code json} is exactly one JSON object ({@link EngineTrees#requireObject}). */
    static String requireObject(String json, String argument) {
        return EngineTrees.requireObject(json, argument);
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A string field, or null when absent or not a string. */
    static @Nullable String text(@Nullable JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** A JSON string literal of {@code s}, quotes included. */
    static String quote(String s) {
        return write(s);
    }

    /** The body of a request, exactly as the spec gives it for its endpoint (JSON-text parts embedded as values). */
    static String body(RequestBody body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            switch (body) {
                case KeysUploadRequest k -> {
                    if (k.deviceKeys() != null) raw(g, "device_keys", k.deviceKeys());
                    if (k.oneTimeKeys() != null) rawMap(g, "one_time_keys", k.oneTimeKeys());
                    if (k.fallbackKeys() != null) rawMap(g, "fallback_keys", k.fallbackKeys());
                }
                case KeysQueryRequest q -> {
                    g.writeObjectFieldStart("device_keys");
                    for (Map.Entry<String, List<String>> user : q.deviceKeys().entrySet()) {
                        g.writeArrayFieldStart(user.getKey());
                        for (String device : user.getValue()) g.writeString(device);
                        g.writeEndArray();
                    }
                    g.writeEndObject();
                }
                case KeysClaimRequest c -> {
                    g.writeObjectFieldStart("one_time_keys");
                    for (Map.Entry<String, Map<String, String>> user : c.oneTimeKeys().entrySet()) {
                        g.writeObjectFieldStart(user.getKey());
                        for (Map.Entry<String, String> device : user.getValue().entrySet()) {
                            g.writeStringField(device.getKey(), device.getValue());
                        }
                        g.writeEndObject();
                    }
                    g.writeEndObject();
                }
                case ToDeviceRequest t -> {
                    g.writeObjectFieldStart("messages");
                    rawMaps(g, t.messages());
                    g.writeEndObject();
                }
                case SigningKeysUploadRequest s -> {
                    raw(g, "master_key", s.masterKey());
                    raw(g, "self_signing_key", s.selfSigningKey());
                    raw(g, "user_signing_key", s.userSigningKey());
                    if (s.auth() != null) raw(g, "auth", s.auth());
                }
                case SignaturesUploadRequest s -> rawMaps(g, s.signedKeys());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void raw(JsonGenerator g, String field, String json) throws IOException {
        g.writeFieldName(field);
        g.writeRawValue(json);
    }

    private static void rawMap(JsonGenerator g, String field, Map<String, String> values) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, String> e : values.entrySet()) raw(g, e.getKey(), e.getValue());
        g.writeEndObject();
    }

    private static void rawMaps(JsonGenerator g, Map<String, Map<String, String>> values) throws IOException {
        for (Map.Entry<String, Map<String, String>> outer : values.entrySet()) rawMap(g, outer.getKey(), outer.getValue());
    }
}
