package org.panolm.engine;

import static org.panolm.engine.EngineCore.MEGOLM;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.PanolmException;
import org.panolm.crosssigning.DeviceKeys;
import org.panolm.engine.store.OutboundGroupSessionRecord;
import org.panolm.engine.store.StoreTransaction;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.megolm.DecryptedMessage;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.MegolmOutboundSession;
import org.panolm.trust.DeviceTrust;

/** Room events: encrypted with our outbound Megolm session, decrypted with the stored room keys. */
final class RoomEvents {
    private final EngineCore core;
    private final DeviceTracker devices;
    private final KeyRequests keyRequests;

    RoomEvents(EngineCore core, DeviceTracker devices, KeyRequests keyRequests) {
        this.core = core;
        this.devices = devices;
        this.keyRequests = keyRequests;
    }

    ObjectNode encrypt(StoreTransaction tx, String roomId, String eventType, JsonNode content) {
        OutboundGroupSessionRecord record = tx.outboundGroupSession(roomId).orElseThrow(() ->
                new EngineException("no room key was shared in " + roomId + ": call shareRoomKey first"));
        try (MegolmOutboundSession session = RoomKeySharing.restore(record)) {
            ObjectNode payload = EngineJson.object();
            payload.put("type", eventType).set("content", content);
            payload.put("room_id", roomId);
            String ciphertext = session.encrypt(EngineJson.write(payload));
            tx.putOutboundGroupSession(new OutboundGroupSessionRecord(roomId, record.sessionId(),
                    session.sessionKey().toBase64(), record.signingSeed(), record.createdMillis(),
                    record.messageCount() + 1, record.sharedWith(), record.shareKey()));
            ObjectNode out = EngineJson.object();
            out.put("algorithm", MEGOLM).put("sender_key", core.identityKeys.curve25519Base64())
                    .put("ciphertext", ciphertext).put("session_id", record.sessionId()).put("device_id", core.deviceId);
            return out;
        }
    }

    /** Checks the event's shape before any store work; throws when it is not a Megolm event. */
    static void checkShape(JsonNode event) {
        String eventId = EngineJson.text(event, "event_id");
        JsonNode content = event.path("content");
        if (eventId == null || EngineJson.text(event, "sender") == null
                || !MEGOLM.equals(EngineJson.text(content, "algorithm"))
                || EngineJson.text(content, "session_id") == null || EngineJson.text(content, "ciphertext") == null) {
            throw new EngineException("event " + eventId + " is not a Megolm m.room.encrypted event with sender, "
                    + "session_id and ciphertext");
        }
    }

    /**
     * The decrypted event, or the {@link UndecryptableEventException} to throw: returned rather than thrown so
     * that the transaction commits the key request it queued.
     */
    Object decrypt(StoreTransaction tx, JsonNode event, String roomId) {
        String eventId = EngineJson.text(event, "event_id");
        String sender = EngineJson.text(event, "sender");
        JsonNode content = event.path("content");
        String sessionId = EngineJson.text(content, "session_id");
        String ciphertext = EngineJson.text(content, "ciphertext");
        List<RoomKeyRecord> copies = tx.roomKeys(roomId, sessionId);
        PanolmException last = null;
        for (RoomKeyRecord copy : copies) {
            try (MegolmInboundSession session = MegolmInboundSession.importSession(copy.sessionKey(), copy.provenance())) {
                session.bindToRoom(roomId);
                DecryptedMessage m = session.decrypt(ciphertext, eventId, roomId);
                String plaintext = m.plaintextUtf8();
                JsonNode parsed = EngineJson.parse(plaintext, "the decrypted payload of event " + eventId);
                if (!roomId.equals(EngineJson.text(parsed, "room_id"))) {
                    throw new EngineException("the decrypted payload of event " + eventId + " names another room");
                }
                String senderKey = copy.key().senderKey();
                DeviceKeys device = senderKey == null ? null : DeviceTracker.deviceByCurveKey(tx, sender, senderKey);
                DeviceTrust trust = device == null ? null : devices.deviceTrust(tx, sender, device.deviceId());
                return new DecryptedRoomEvent(plaintext, sender, device == null ? null : device.deviceId(), trust,
                        copy.provenance(), m.messageIndex(), tx.doNotStore(roomId, sessionId));
            } catch (PanolmException e) {
                last = e;
            }
        }
        WithheldCode withheld = tx.value(ReceivedRoomKeys.withheldName(roomId, sessionId))
                .map(v -> WithheldCode.of(new String(v, StandardCharsets.UTF_8))).orElse(null);
        if (copies.isEmpty() && withheld == null) {
            keyRequests.requestRoomKey(tx, roomId, sessionId, EngineJson.text(content, "sender_key"));
        }
        return new UndecryptableEventException(eventId, sessionId, withheld,
                copies.isEmpty() ? null : last == null ? null : last.status());
    }
}
