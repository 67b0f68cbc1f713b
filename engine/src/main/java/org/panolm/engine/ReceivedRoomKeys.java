package org.panolm.engine;

import static org.panolm.engine.EngineCore.MEGOLM;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.jspecify.annotations.Nullable;
import org.panolm.PanolmException;
import org.panolm.crosssigning.DeviceKeys;
import org.panolm.engine.store.StoreTransaction;
import org.panolm.export.ExportedRoomKey;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.megolm.KeyProvenance;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.SessionKey;

/** Room keys that arrive: {@code m.room_key}, {@code m.forwarded_room_key} and {@code m.room_key.withheld}. */
final class ReceivedRoomKeys {
    private final EngineCore core;
    private final DeviceTracker devices;

    ReceivedRoomKeys(EngineCore core, DeviceTracker devices) {
        this.core = core;
        this.devices = devices;
    }

    /** Stores an {@code m.room_key} with its provenance; null when stored, else what was wrong with it. */
    @Nullable String receiveRoomKey(StoreTransaction tx, JsonNode payload, String sender, String senderKey,
                                    @Nullable DeviceKeys device) {
        JsonNode c = payload.get("content");
        String roomId = EngineJson.text(c, "room_id");
        String sessionId = EngineJson.text(c, "session_id");
        String sessionKey = EngineJson.text(c, "session_key");
        if (!MEGOLM.equals(EngineJson.text(c, "algorithm")) || roomId == null || sessionId == null || sessionKey == null) {
            return "m.room_key without algorithm " + MEGOLM + ", room_id, session_id or session_key";
        }
        KeyProvenance.DeviceCheck check = device == null ? KeyProvenance.DeviceCheck.NOT_MATCHED
                : devices.isVerified(tx, sender, device.deviceId()) ? KeyProvenance.DeviceCheck.VERIFIED
                : KeyProvenance.DeviceCheck.KEYS_MATCH;
        var provenance = new KeyProvenance.ReceivedOverOlm(sender, device == null ? null : device.deviceId(), senderKey,
                check);
        try (MegolmInboundSession session = MegolmInboundSession.create(SessionKey.fromBase64(sessionKey), roomId,
                provenance)) {
            if (!session.sessionId().equals(sessionId)) {
                return "m.room_key session_id " + sessionId + " is not the id of its session_key";
            }
            String claimed = EngineJson.text(payload.path("keys"), "ed25519");
            var exported = new ExportedRoomKey(MEGOLM, roomId, senderKey, sessionId, session.export().toBase64(),
                    Map.of("ed25519", claimed), List.of(), c.path("shared_history").asBoolean(false));
            tx.addRoomKey(RoomKeyRecord.of(exported, provenance, 0));
            if (org.panolm.engine.internal.EngineTrees.doNotStore(c)) tx.markDoNotStore(roomId, sessionId);
            return null;
        } catch (PanolmException e) {
            return "m.room_key for room " + roomId + " session " + sessionId + " is malformed: " + e.status();
        }
    }

    /**
     * Accepts a forwarded key only when we asked for it and it comes from one of our own verified devices; it is
     * stored as forwarded (never authenticated), and the request is settled. Null when stored, else why not.
     */
    @Nullable String receiveForwardedKey(StoreTransaction tx, JsonNode payload, String sender, String senderKey,
                                         @Nullable DeviceKeys device) {
        JsonNode c = payload.get("content");
        String roomId = EngineJson.text(c, "room_id");
        String sessionId = EngineJson.text(c, "session_id");
        if (roomId == null || sessionId == null) return "m.forwarded_room_key without room_id or session_id";
        String name = KeyRequests.requestName(roomId, sessionId);
        if (tx.value(name).isEmpty()) return "m.forwarded_room_key for session " + sessionId + " was not requested";
        if (!sender.equals(core.userId) || device == null || !devices.isVerified(tx, sender, device.deviceId())) {
            return "m.forwarded_room_key from a device that is not our own verified device";
        }
        List<String> chain = new ArrayList<>();
        c.path("forwarding_curve25519_key_chain").forEach(k -> chain.add(k.asText()));
        String claimed = EngineJson.text(c, "sender_claimed_ed25519_key");
        try {
            var provenance = new KeyProvenance.Forwarded(sender, device.deviceId(), senderKey, true, chain);
            List<String> fullChain = new ArrayList<>(chain);
            fullChain.add(senderKey);
            var key = new ExportedRoomKey(MEGOLM, roomId, EngineJson.text(c, "sender_key"), sessionId,
                    EngineJson.text(c, "session_key"), claimed == null ? Map.of() : Map.of("ed25519", claimed),
                    fullChain, false);
            tx.addRoomKey(RoomKeyRecord.of(key, provenance, fullChain.size()));
            if (org.panolm.engine.internal.EngineTrees.doNotStore(c)) tx.markDoNotStore(roomId, sessionId);
        } catch (PanolmException e) {
            return "m.forwarded_room_key for session " + sessionId + " is malformed: " + e.status();
        }
        tx.putValue(name + ":done", new byte[] {1});
        return null;
    }

    /** Remembers why a sender withheld a session, for the undecryptable events that need it. */
    static void recordWithheld(StoreTransaction tx, JsonNode content) {
        String room = EngineJson.text(content, "room_id");
        String session = EngineJson.text(content, "session_id");
        String code = EngineJson.text(content, "code");
        if (room != null && session != null && code != null && WithheldCode.of(code) != null) {
            tx.putValue(withheldName(room, session), code.getBytes(StandardCharsets.UTF_8));
        }
    }

    static String withheldName(String roomId, String sessionId) {
        return "withheld:" + roomId + "|" + sessionId;
    }
}
