package org.panolm.engine;

import org.panolm.testsupport.InteractiveNodePeer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** matrix-sdk-crypto-wasm's OlmMachine in Node ({@code interop/node/engine/wasm_machine.mjs}) as a router device. */
final class WasmDevice implements Router.Device, AutoCloseable {
    final InteractiveNodePeer peer = new InteractiveNodePeer("engine/wasm_machine.mjs");
    private final String userId;
    private final String deviceId;
    final JsonNode identity;
    final List<JsonNode> decrypted = new ArrayList<>();
    final List<JsonNode> others = new ArrayList<>();

    WasmDevice(String userId, String deviceId) {
        this.userId = userId;
        this.deviceId = deviceId;
        identity = peer.call(Map.of("op", "init", "user_id", userId, "device_id", deviceId));
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public List<Router.Request> outgoing() {
        List<Router.Request> out = new ArrayList<>();
        for (JsonNode r : peer.call(Map.of("op", "outgoing")).get("requests")) {
            out.add(new Router.Request(r.get("id").asText(), r.get("type").asText(), r.get("method").asText(),
                    r.get("path").asText(), r.get("body").asText()));
        }
        return out;
    }

    @Override
    public void markSent(Router.Request request, String responseJson) {
        peer.call(Map.of("op", "mark", "id", request.id(), "type", Integer.parseInt(request.type()),
                "response", responseJson));
    }

    @Override
    public void sync(List<JsonNode> toDevice, Set<String> changed, int count, Set<String> fallbackTypes) {
        JsonNode r = peer.call(Map.of("op", "sync", "to_device", toDevice, "changed", changed, "otk_count", count,
                "fallback_types", fallbackTypes));
        r.get("decrypted").forEach(decrypted::add);
        r.get("others").forEach(others::add);
    }

    JsonNode call(Map<String, Object> command) {
        return peer.call(command);
    }

    @Override
    public void close() throws Exception {
        peer.close();
    }
}
