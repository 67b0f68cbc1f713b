package org.panolm.engine;

import static org.panolm.engine.EngineCore.OLM;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jspecify.annotations.Nullable;
import org.panolm.PanolmException;
import org.panolm.crosssigning.DeviceKeys;
import org.panolm.encoding.MatrixBase64;
import org.panolm.engine.store.StoreTransaction;
import org.panolm.olm.Curve25519PublicKey;
import org.panolm.olm.OlmMessage;

/**
 * One to-device event in: redeliveries recognised, Olm decrypted, the payload checked as the spec requires, then
 * handed to the part that owns its type.
 */
final class ToDeviceReceiver {
    private final EngineCore core;
    private final OlmSessions olm;
    private final ReceivedRoomKeys roomKeys;
    private final KeyRequests keyRequests;
    private final Secrets secrets;
    private final Verifications verifications;

    ToDeviceReceiver(EngineCore core, OlmSessions olm, ReceivedRoomKeys roomKeys, KeyRequests keyRequests,
                     Secrets secrets, Verifications verifications) {
        this.core = core;
        this.olm = olm;
        this.roomKeys = roomKeys;
        this.keyRequests = keyRequests;
        this.secrets = secrets;
        this.verifications = verifications;
    }

    ToDeviceResult receive(StoreTransaction tx, JsonNode event) {
        String type = EngineJson.text(event, "type");
        String sender = EngineJson.text(event, "sender");
        if (type == null || sender == null || !event.path("content").isObject()) {
            return new ToDeviceResult.Failed(sender, "a to-device event without type, sender or content object");
        }
        if (!type.equals("m.room.encrypted")) {
            if (type.equals("m.room_key.withheld")) ReceivedRoomKeys.recordWithheld(tx, event.get("content"));
            if (type.equals("m.room_key_request")) keyRequests.answer(tx, event);
            if (type.equals("m.secret.request")) secrets.answer(tx, event);
            verifications.receive(tx, sender, type, event.get("content"));
            return new ToDeviceResult.PlainText(event.toString());
        }
        JsonNode content = event.get("content");
        if (!OLM.equals(EngineJson.text(content, "algorithm"))) {
            return new ToDeviceResult.Failed(sender, "to-device content.algorithm is not " + OLM);
        }
        String senderKey = EngineJson.text(content, "sender_key");
        JsonNode ours = content.path("ciphertext").get(core.identityKeys.curve25519Base64());
        if (senderKey == null || ours == null || !ours.path("type").isIntegralNumber()
                || EngineJson.text(ours, "body") == null) {
            return new ToDeviceResult.Failed(sender, "to-device content has no sender_key or no ciphertext for this device");
        }
        OlmMessage message;
        Curve25519PublicKey senderCurve;
        try {
            message = OlmMessage.fromBase64(ours.get("type").asLong(), EngineJson.text(ours, "body"));
            senderCurve = Curve25519PublicKey.fromBase64(senderKey);
        } catch (PanolmException e) {
            return new ToDeviceResult.Failed(sender, "to-device ciphertext or sender_key is malformed: " + e.status());
        }
        // Homeservers redeliver: the same ciphertext from the same key is recognised and ignored, not failed.
        if (!tx.markToDeviceProcessed(senderKey + "|" + digest(message.body()))) {
            return new ToDeviceResult.Duplicate(sender);
        }
        byte[] plaintext = olm.decrypt(tx, senderCurve, senderKey, message);
        if (plaintext == null) {
            olm.scheduleUnwedge(tx, sender, senderKey);
            return new ToDeviceResult.Failed(sender, "no Olm session with " + senderKey + " decrypts the message");
        }
        try {
            return decrypted(tx, EngineJson.parse(plaintext, "the Olm payload"), sender, senderKey);
        } finally {
            java.util.Arrays.fill(plaintext, (byte) 0);
        }
    }

    private ToDeviceResult decrypted(StoreTransaction tx, JsonNode payload, String sender, String senderKey) {
        String problem = checkPayload(tx, payload, sender, senderKey);
        if (problem != null) return new ToDeviceResult.Failed(sender, problem);
        DeviceKeys device = DeviceTracker.deviceByCurveKey(tx, sender, senderKey);
        String deviceIdOfSender = device == null ? null : device.deviceId();
        if (device == null && !Boolean.TRUE.equals(tx.trackedUsers().get(sender))) {
            // A device we do not know yet wrote to us: query its user, so that its later messages and its room
            // keys' senders can be told (a key that came before stays unauthenticated: provenance never changes).
            tx.putTrackedUser(sender, true);
        }
        String payloadType = EngineJson.text(payload, "type");
        String failure = null;
        if ("m.room_key".equals(payloadType)) {
            failure = roomKeys.receiveRoomKey(tx, payload, sender, senderKey, device);
        } else if ("m.forwarded_room_key".equals(payloadType)) {
            failure = roomKeys.receiveForwardedKey(tx, payload, sender, senderKey, device);
        } else if ("m.secret.send".equals(payloadType)) {
            failure = secrets.receive(tx, payload, sender, device);
            if (failure == null) {
                // The secret is kept in the store, never handed back in the result.
                ObjectNode redacted = payload.deepCopy();
                ((ObjectNode) redacted.get("content")).remove("secret");
                return new ToDeviceResult.Decrypted(redacted.toString(), sender, senderKey, deviceIdOfSender);
            }
        } else if (payloadType.startsWith("m.key.verification.")) {
            verifications.receive(tx, sender, payloadType, payload.get("content"));
        }
        if (failure != null) return new ToDeviceResult.Failed(sender, failure);
        return new ToDeviceResult.Decrypted(payload.toString(), sender, senderKey, deviceIdOfSender);
    }

    /** The spec's checks on a decrypted Olm payload; null when it passes, else what failed. */
    private @Nullable String checkPayload(StoreTransaction tx, JsonNode payload, String sender, String senderKey) {
        if (!sender.equals(EngineJson.text(payload, "sender"))) return "the Olm payload's sender is not the event's sender";
        if (!core.userId.equals(EngineJson.text(payload, "recipient"))) return "the Olm payload's recipient is not us";
        if (!core.identityKeys.ed25519Base64().equals(EngineJson.text(payload.path("recipient_keys"), "ed25519"))) {
            return "the Olm payload's recipient_keys.ed25519 is not our key";
        }
        String claimed = EngineJson.text(payload.path("keys"), "ed25519");
        if (claimed == null) return "the Olm payload has no keys.ed25519";
        if (EngineJson.text(payload, "type") == null || !payload.path("content").isObject()) {
            return "the Olm payload has no type or content object";
        }
        DeviceKeys device = DeviceTracker.deviceByCurveKey(tx, sender, senderKey);
        if (device != null && !claimed.equals(device.ed25519Key())) {
            return "the Olm payload's keys.ed25519 is not the Ed25519 key of the sending device";
        }
        return null;
    }

    private static String digest(byte[] bytes) {
        try {
            return MatrixBase64.encode(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
