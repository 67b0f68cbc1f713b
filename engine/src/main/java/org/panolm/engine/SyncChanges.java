package org.panolm.engine;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.panolm.engine.internal.EngineTrees;

/**
 * The parts of a {@code /sync} response the engine needs.
 *
 * @param toDeviceEvents {@code to_device.events}, each as JSON text (parsed when taken in: an event that is not a
 *                       JSON object becomes a {@link ToDeviceResult.Failed})
 * @param changedUsers {@code device_lists.changed}
 * @param leftUsers {@code device_lists.left}
 * @param oneTimeKeyCounts {@code device_one_time_keys_count}
 * @param unusedFallbackKeyTypes {@code device_unused_fallback_key_types}, or null when the server did not send it
 */
public record SyncChanges(List<String> toDeviceEvents, Set<String> changedUsers, Set<String> leftUsers,
                          Map<String, Integer> oneTimeKeyCounts, @Nullable Set<String> unusedFallbackKeyTypes) {
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
     * @param syncJson the response body, JSON text
     * @return the changes (absent sections are empty)
     * @throws IllegalArgumentException when {@code syncJson} is not a JSON object
     * @throws EngineException when a section has the wrong shape (which one)
     */
    public static SyncChanges fromSyncResponse(String syncJson) {
        return EngineTrees.syncChanges(EngineJson.argument(syncJson, "syncJson"));
    }

    /**
     * Just to-device events.
     *
     * @param events the events, each as JSON text
     * @return the changes
     */
    public static SyncChanges toDevice(List<String> events) {
        return new SyncChanges(events, Set.of(), Set.of(), Map.of(), null);
    }
}
