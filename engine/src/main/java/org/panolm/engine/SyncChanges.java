package org.panolm.engine;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parts of a {@code /sync} response the engine needs.
 *
 * @param toDeviceEvents {@code to_device.events}
 * @param changedUsers {@code device_lists.changed}
 * @param leftUsers {@code device_lists.left}
 * @param oneTimeKeyCounts {@code device_one_time_keys_count}
 * @param unusedFallbackKeyTypes {@code device_unused_fallback_key_types}, or null when the server did not send it
 */
public record SyncChanges(List<JsonNode> toDeviceEvents, Set<String> changedUsers, Set<String> leftUsers,
                          Map<String, Integer> oneTimeKeyCounts, Set<String> unusedFallbackKeyTypes) {
    /** Copies the collections; null ones are empty (the fallback key types stay null: not reported). */
    public SyncChanges {
        toDeviceEvents = toDeviceEvents == null ? List.of() : List.copyOf(toDeviceEvents);
        changedUsers = changedUsers == null ? Set.of() : Set.copyOf(changedUsers);
        leftUsers = leftUsers == null ? Set.of() : Set.copyOf(leftUsers);
        oneTimeKeyCounts = oneTimeKeyCounts == null ? Map.of() : Map.copyOf(oneTimeKeyCounts);
        unusedFallbackKeyTypes = unusedFallbackKeyTypes == null ? null : Set.copyOf(unusedFallbackKeyTypes);
    }

    /**
     * The engine's parts of a whole {@code /sync} response body.
     *
     * @param sync the response body
     * @return the changes (absent sections are empty)
     * @throws EngineException when a section has the wrong shape (which one)
     */
    public static SyncChanges fromSyncResponse(JsonNode sync) {
        java.util.List<JsonNode> events = new java.util.ArrayList<>();
        JsonNode toDevice = sync.path("to_device").path("events");
        if (!toDevice.isMissingNode() && !toDevice.isArray()) throw new EngineException("sync to_device.events is not an array");
        toDevice.forEach(events::add);
        java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
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
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (JsonNode n : array) {
            if (!n.isTextual()) throw new EngineException("sync " + what + " has an entry that is not a string");
            out.add(n.asText());
        }
        return out;
    }

    /**
     * Just to-device events.
     *
     * @param events the events
     * @return the changes
     */
    public static SyncChanges toDevice(List<JsonNode> events) {
        return new SyncChanges(events, null, null, null, null);
    }
}
