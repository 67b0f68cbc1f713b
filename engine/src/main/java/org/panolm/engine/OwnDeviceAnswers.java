package org.panolm.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.crosssigning.DeviceKeys;
import org.panolm.engine.store.StoreTransaction;

/**
 * Answers to a request from one of our own devices (a room key, a secret), sent over Olm. When we have no Olm
 * session with that device yet, the request waits: a one-time key is claimed, and the request is answered again
 * when the claim comes back, instead of being dropped.
 */
final class OwnDeviceAnswers {
    private final EngineCore core;
    private final OlmSessions olm;
    private final List<JsonNode> waiting = new ArrayList<>();

    OwnDeviceAnswers(EngineCore core, OlmSessions olm) {
        this.core = core;
        this.olm = olm;
    }

    /**
     * Encrypts {@code content} for {@code device} and queues it, or keeps {@code request} until a session exists.
     */
    void send(StoreTransaction tx, DeviceKeys device, String type, ObjectNode content, JsonNode request) {
        ObjectNode encrypted = olm.encryptFor(tx, device, type, content);
        if (encrypted == null) {
            waiting.add(request);
            olm.claim(List.of(core.userId + "|" + device.deviceId()));
            return;
        }
        core.enqueue(tx, new ToDeviceRequest("m.room.encrypted", EngineCore.newId(),
                Map.of(core.userId, Map.of(device.deviceId(), EngineJson.write(encrypted)))));
    }

    /** The requests that waited for a session, taken out to be answered again. */
    List<JsonNode> takeWaiting() {
        List<JsonNode> all = List.copyOf(waiting);
        waiting.clear();
        return all;
    }
}
