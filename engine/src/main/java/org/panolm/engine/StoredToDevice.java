package org.panolm.engine;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.engine.store.PendingRequest;

/** A to-device request as the store keeps it until it is reported sent: the event type beside the body. */
final class StoredToDevice {
    private StoredToDevice() {}

    static PendingRequest write(ToDeviceRequest request) {
        ObjectNode o = EngineJson.object();
        o.put("event_type", request.eventType());
        o.set("body", EngineJson.MAPPER.valueToTree(request));
        return new PendingRequest(request.txnId(), RequestType.TO_DEVICE.name(), EngineJson.write(o));
    }

    static ToDeviceRequest read(PendingRequest stored) {
        if (!RequestType.TO_DEVICE.name().equals(stored.type())) {
            throw new EngineException("a stored request of type " + stored.type() + " (only to-device requests are kept)");
        }
        JsonNode o = EngineJson.parse(stored.body(), "a stored to-device request");
        Map<String, Map<String, JsonNode>> messages = new LinkedHashMap<>();
        for (var user : o.path("body").path("messages").properties()) {
            Map<String, JsonNode> devices = new LinkedHashMap<>();
            for (var device : user.getValue().properties()) devices.put(device.getKey(), device.getValue());
            messages.put(user.getKey(), devices);
        }
        return new ToDeviceRequest(EngineJson.text(o, "event_type"), stored.id(), messages);
    }
}
