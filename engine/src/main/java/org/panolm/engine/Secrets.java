package org.panolm.engine;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jspecify.annotations.Nullable;
import org.panolm.crosssigning.DeviceKeys;
import org.panolm.engine.store.StoreTransaction;

/** Secrets sealed in the store and shared by {@code m.secret.request} / {@code m.secret.send}, between our own
 *  verified devices only. */
final class Secrets {
    private final EngineCore core;
    private final DeviceTracker devices;
    private final OwnDeviceAnswers answers;
    private final CrossSigner crossSigner;

    Secrets(EngineCore core, DeviceTracker devices, OlmSessions olm, CrossSigner crossSigner) {
        this.core = core;
        this.devices = devices;
        this.crossSigner = crossSigner;
        this.answers = new OwnDeviceAnswers(core, olm);
    }

    /**
     * A cross-signing private key must derive the public key our user published, else it is refused (null when
     * {@code name} is another secret, or the key matches).
     */
    @Nullable String checkCrossSigning(StoreTransaction tx, String name, String value) {
        return CrossSigner.usageOfSecret(name).map(usage -> crossSigner.checkImport(tx, usage, value)).orElse(null);
    }

    static void store(StoreTransaction tx, String name, String value) {
        tx.putValue("secret:" + name, value.getBytes(StandardCharsets.UTF_8));
    }

    static Optional<String> get(StoreTransaction tx, String name) {
        return tx.value("secret:" + name).map(v -> new String(v, StandardCharsets.UTF_8));
    }

    void request(StoreTransaction tx, String name) {
        String requestId = EngineCore.newId();
        tx.putValue("secret_request:" + requestId, name.getBytes(StandardCharsets.UTF_8));
        ObjectNode content = EngineJson.object();
        content.put("action", "request").put("name", name).put("request_id", requestId)
                .put("requesting_device_id", core.deviceId);
        core.enqueue(tx, new ToDeviceRequest("m.secret.request", EngineCore.newId(),
                Map.of(core.userId, Map.of("*", EngineJson.write(content)))));
    }

    void answer(StoreTransaction tx, JsonNode event) {
        JsonNode content = event.get("content");
        String requester = EngineJson.text(content, "requesting_device_id");
        String name = EngineJson.text(content, "name");
        String requestId = EngineJson.text(content, "request_id");
        if (!core.userId.equals(EngineJson.text(event, "sender")) || !"request".equals(EngineJson.text(content, "action"))
                || requester == null || requester.equals(core.deviceId) || name == null || requestId == null) {
            return;
        }
        DeviceKeys device = DeviceTracker.liveDevices(tx, core.userId).get(requester);
        if (device == null || !devices.isVerified(tx, core.userId, requester)) return;
        Optional<byte[]> secret = tx.value("secret:" + name);
        if (secret.isEmpty()) return;
        ObjectNode send = EngineJson.object();
        send.put("request_id", requestId).put("secret", new String(secret.get(), StandardCharsets.UTF_8));
        try {
            answers.send(tx, device, "m.secret.send", send, event);
        } finally {
            java.util.Arrays.fill(secret.get(), (byte) 0);
        }
    }

    /** A claim came back: the requests that waited for a session are answered again. */
    void retryUnanswered(StoreTransaction tx) {
        for (JsonNode e : answers.takeWaiting()) answer(tx, e);
    }

    /** Keeps a secret we asked for from one of our own verified devices; null when kept, else why not. */
    @Nullable String receive(StoreTransaction tx, JsonNode payload, String sender, @Nullable DeviceKeys device) {
        String requestId = EngineJson.text(payload.get("content"), "request_id");
        String secret = EngineJson.text(payload.get("content"), "secret");
        if (requestId == null || secret == null) return "m.secret.send without request_id or secret";
        Optional<byte[]> name = tx.value("secret_request:" + requestId);
        if (name.isEmpty()) return "m.secret.send for a request we did not make";
        if (!sender.equals(core.userId) || device == null || !devices.isVerified(tx, sender, device.deviceId())) {
            return "m.secret.send from a device that is not our own verified device";
        }
        String secretName = new String(name.get(), StandardCharsets.UTF_8);
        String mismatch = checkCrossSigning(tx, secretName, secret);
        if (mismatch != null) return mismatch;
        tx.putValue("secret:" + secretName, secret.getBytes(StandardCharsets.UTF_8));
        return null;
    }
}
