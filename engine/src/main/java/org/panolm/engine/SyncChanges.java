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
     * Just to-device events.
     *
     * @param events the events
     * @return the changes
     */
    public static SyncChanges toDevice(List<JsonNode> events) {
        return new SyncChanges(events, null, null, null, null);
    }
}
