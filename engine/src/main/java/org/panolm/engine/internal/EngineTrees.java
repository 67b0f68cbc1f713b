package org.panolm.engine.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jspecify.annotations.Nullable;
import org.panolm.engine.DoNotStore;
import org.panolm.engine.EngineException;
import org.panolm.engine.SyncChanges;

/**
 * Jackson-tree fast paths for panolm's own modules (the client's sync loop holds the parsed response already):
 * exported only to them, never part of the API, which takes JSON text.
 */
public final class EngineTrees {
    private EngineTrees() {}

    /** Reads caller text: one JSON value and nothing after it (no tree is kept: the reader is shared). */
    private static final ObjectMapper CHECKER = new ObjectMapper();
    private static final ObjectReader STRICT = CHECKER.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * A caller's JSON text that must be one JSON object, parsed: the one check the engine's and the client's API
     * make of the JSON text they are given.
     *
     * @param json the text
     * @param argument the argument's name, for the error
     * @return the object
     * @throws IllegalArgumentException naming {@code argument} when it is null or not exactly one JSON object
     */
    public static ObjectNode argument(String json, String argument) {
        if (json == null) throw new IllegalArgumentException(argument + " is null");
        JsonNode node;
        try {
            node = STRICT.readValue(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(argument + " is not a JSON object (it does not parse)");
        }
        if (!(node instanceof ObjectNode o)) throw new IllegalArgumentException(argument + " is not a JSON object");
        return o;
    }

    /**
     * Checks that {@code json} is exactly one JSON object, without building a tree (what a request body embeds).
     *
     * @param json the text
     * @param argument the argument's name, for the error
     * @return {@code json}
     * @throws IllegalArgumentException naming {@code argument} when it is null or not exactly one JSON object
     */
    public static String requireObject(String json, String argument) {
        if (json == null) throw new IllegalArgumentException(argument + " is null");
        try (JsonParser p = CHECKER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalArgumentException(argument + " is not a JSON object");
            p.skipChildren();
            if (p.nextToken() != null) throw new IllegalArgumentException(argument + " is not one JSON object (text follows it)");
        } catch (IOException e) {
            throw new IllegalArgumentException(argument + " is not a JSON object (it does not parse)");
        }
        return json;
    }

    /**
     * The engine's parts of a parsed {@code /sync} response body (as {@link SyncChanges#fromSyncResponse}).
     *
     * @param sync the response body
     * @return the changes (absent sections are empty)
     * @throws EngineException when a section has the wrong shape (which one)
     */
    public static SyncChanges syncChanges(JsonNode sync) {
        if (!sync.isObject()) throw new EngineException("the sync response is not a JSON object");
        List<String> events = new ArrayList<>();
        JsonNode toDevice = sync.path("to_device").path("events");
        if (!toDevice.isMissingNode() && !toDevice.isArray()) throw new EngineException("sync to_device.events is not an array");
        toDevice.forEach(e -> events.add(e.toString()));
        Map<String, Integer> counts = new LinkedHashMap<>();
        sync.path("device_one_time_keys_count").properties().forEach(e -> {
            if (!e.getValue().isIntegralNumber()) {
                throw new EngineException("sync device_one_time_keys_count." + e.getKey() + " is not an integer");
            }
            counts.put(e.getKey(), e.getValue().asInt());
        });
        JsonNode fallback = sync.get("device_unused_fallback_key_types");
        return new SyncChanges(events, strings(sync.path("device_lists").path("changed"), "device_lists.changed"),
                strings(sync.path("device_lists").path("left"), "device_lists.left"), counts,
                fallback == null ? null : strings(fallback, "device_unused_fallback_key_types"));
    }

    private static Set<String> strings(JsonNode array, String what) {
        if (array.isMissingNode()) return Set.of();
        if (!array.isArray()) throw new EngineException("sync " + what + " is not an array");
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode n : array) {
            if (!n.isTextual()) throw new EngineException("sync " + what + " has an entry that is not a string");
            out.add(n.asText());
        }
        return out;
    }

    /**
     * Whether a parsed content asks for the do-not-store flag (as {@link DoNotStore#requested(String)}).
     *
     * @param content an event content (may be null)
     * @return true when the flag is asked for
     */
    public static boolean doNotStore(@Nullable JsonNode content) {
        if (content == null) return false;
        JsonNode v = content.get(DoNotStore.FIELD);
        return v != null && !v.isNull() && !(v.isBoolean() && !v.booleanValue());
    }
}
