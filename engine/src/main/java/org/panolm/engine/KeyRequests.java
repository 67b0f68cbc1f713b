package org.panolm.engine;

import static org.panolm.engine.EngineCore.MEGOLM;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.crosssigning.DeviceKeys;
import org.panolm.engine.store.StoreTransaction;
import org.panolm.export.ExportedRoomKey;
import org.panolm.keystore.RoomKeyRecord;

/** {@code m.room_key_request} out for keys we lack, and answers with {@code m.forwarded_room_key}, between our own
 *  verified devices only. */
final class KeyRequests {
    private final EngineCore core;
    private final DeviceTracker devices;
    private final OwnDeviceAnswers answers;

    KeyRequests(EngineCore core, DeviceTracker devices, OlmSessions olm) {
        this.core = core;
        this.devices = devices;
        this.answers = new OwnDeviceAnswers(core, olm);
    }

    static String requestName(String roomId, String sessionId) {
        return "key_request:" + roomId + "|" + sessionId;
    }

    /** Asks our other devices for a room key we lack, once per session (the spec sends requests in the clear). */
    void requestRoomKey(StoreTransaction tx, String roomId, String sessionId, String senderKey) {
        String name = requestName(roomId, sessionId);
        if (tx.value(name).isPresent()) return;
        String requestId = EngineCore.newId();
        tx.putValue(name, requestId.getBytes(StandardCharsets.UTF_8));
        ObjectNode content = EngineJson.object();
        content.put("action", "request").put("request_id", requestId).put("requesting_device_id", core.deviceId);
        ObjectNode body = content.putObject("body");
        body.put("algorithm", MEGOLM).put("room_id", roomId).put("session_id", sessionId);
        if (senderKey != null) body.put("sender_key", senderKey);
        core.enqueue(tx, new ToDeviceRequest("m.room_key_request", EngineCore.newId(),
                Map.of(core.userId, Map.of("*", EngineJson.write(content)))));
    }

    /** Answers a key request from one of our own verified devices with the best copy we hold. */
    void answer(StoreTransaction tx, JsonNode event) {
        JsonNode content = event.get("content");
        String requester = EngineJson.text(content, "requesting_device_id");
        if (!core.userId.equals(EngineJson.text(event, "sender")) || !"request".equals(EngineJson.text(content, "action"))
                || requester == null || requester.equals(core.deviceId)) {
            return; // only our own other devices are answered; cancellations need nothing here
        }
        DeviceKeys device = DeviceTracker.liveDevices(tx, core.userId).get(requester);
        if (device == null || !devices.isVerified(tx, core.userId, requester)) return;
        JsonNode body = content.path("body");
        String roomId = EngineJson.text(body, "room_id");
        String sessionId = EngineJson.text(body, "session_id");
        if (roomId == null || sessionId == null || !MEGOLM.equals(EngineJson.text(body, "algorithm"))) return;
        List<RoomKeyRecord> copies = tx.roomKeys(roomId, sessionId);
        if (copies.isEmpty()) return;
        ExportedRoomKey key = copies.getFirst().key();
        ObjectNode forwarded = EngineJson.object();
        forwarded.put("algorithm", MEGOLM).put("room_id", roomId).put("session_id", sessionId)
                .put("session_key", key.sessionKey()).put("sender_key", key.senderKey())
                .put("sender_claimed_ed25519_key", key.senderClaimedKeys().get("ed25519"));
        var chain = forwarded.putArray("forwarding_curve25519_key_chain");
        key.forwardingCurve25519KeyChain().forEach(chain::add);
        if (tx.doNotStore(roomId, sessionId)) DoNotStore.mark(forwarded);
        answers.send(tx, device, "m.forwarded_room_key", forwarded, event);
    }

    /** A claim came back: the requests that waited for a session are answered again. */
    void retryUnanswered(StoreTransaction tx) {
        for (JsonNode e : answers.takeWaiting()) answer(tx, e);
    }
}
