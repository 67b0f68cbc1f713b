package org.panolm.engine;

import java.util.Map;

/**
 * The body of {@code PUT /sendToDevice/{eventType}/{txnId}}, with the two path parameters beside it (they are not
 * part of the JSON). Each message is JSON text, checked to be one JSON object and embedded as a JSON object in the
 * body ({@link OutgoingRequest#bodyJson()}).
 *
 * @param eventType the event type (a path parameter)
 * @param txnId the transaction id (a path parameter; the request id, so a resend is idempotent)
 * @param messages by user, by device, the event content (a JSON object)
 */
public record ToDeviceRequest(String eventType, String txnId, Map<String, Map<String, String>> messages)
        implements RequestBody {
    /**
     * Checks each content is one JSON object and copies the maps.
     *
     * @throws IllegalArgumentException when a content is not a JSON object (which one)
     */
    public ToDeviceRequest {
        java.util.Objects.requireNonNull(eventType, "eventType");
        java.util.Objects.requireNonNull(txnId, "txnId");
        Map<String, Map<String, String>> copy = new java.util.HashMap<>();
        messages.forEach((user, devices) -> {
            devices.forEach((device, json) -> EngineJson.requireObject(json, "messages[" + user + "][" + device + "]"));
            copy.put(user, Map.copyOf(devices));
        });
        messages = Map.copyOf(copy);
    }

    @Override
    public RequestType type() {
        return RequestType.TO_DEVICE;
    }
}
