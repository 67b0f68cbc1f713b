package org.panolm.engine;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.panolm.engine.store.PendingRequest;

/** A to-device request as the store keeps it until it is reported sent: the event type beside the body. */
final class StoredToDevice {
    private StoredToDevice() {}

    static PendingRequest write(ToDeviceRequest request) {
        String json = "{\"event_type\":" + EngineJson.quote(request.eventType()) + ",\"body\":" + EngineJson.body(request) + "}";
        return new PendingRequest(request.txnId(), RequestType.TO_DEVICE.name(), json);
    }

    static ToDeviceRequest read(PendingRequest stored) {
        if (!RequestType.TO_DEVICE.name().equals(stored.type())) {
            throw new EngineException("a stored request of type " + stored.type() + " (only to-device requests are kept)");
        }
        JsonNode o = EngineJson.parse(stored.body(), "a stored to-device request");
        Map<String, Map<String, String>> messages = new LinkedHashMap<>();
        for (var user : o.path("body").path("messages").properties()) {
            Map<String, String> devices = new LinkedHashMap<>();
            for (var device : user.getValue().properties()) devices.put(device.getKey(), device.getValue().toString());
            messages.put(user.getKey(), devices);
        }
        return new ToDeviceRequest(EngineJson.text(o, "event_type"), stored.id(), messages);
    }
}
