package org.panolm.engine;

import static org.panolm.engine.EngineCore.MEGOLM;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.crosssigning.DeviceKeys;
import org.panolm.encoding.MatrixBase64;
import org.panolm.engine.store.OlmSessionRecord;
import org.panolm.engine.store.OutboundGroupSessionRecord;
import org.panolm.engine.store.StoreTransaction;
import org.panolm.export.ExportedRoomKey;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.megolm.KeyProvenance;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.MegolmOutboundSession;
import org.panolm.megolm.SessionKey;
import org.panolm.olm.BatchEncryption;
import org.panolm.olm.PayloadTemplate;
import org.panolm.olm.Session;
import org.panolm.subtle.SecureRandomBytes;

/**
 * Sharing our Megolm session of a room: rotation when due, the recipients and who is left out (with
 * {@code m.room_key.withheld}), one batch Olm encryption of {@code m.room_key}, and shares that wait for a keys
 * query or claim.
 */
final class RoomKeySharing {
    private final EngineCore core;
    private final DeviceTracker tracker;
    private final OlmSessions olm;
    /** Room-key shares waiting for a keys query or claim, by room. */
    private final Map<String, PendingShare> pendingShares = new LinkedHashMap<>();

    /** What the caller asked to share with: the members and the room's settings. */
    record PendingShare(Set<String> members, EncryptionSettings settings) {}

    RoomKeySharing(EngineCore core, DeviceTracker tracker, OlmSessions olm) {
        this.core = core;
        this.tracker = tracker;
        this.olm = olm;
    }

    void resumePending(StoreTransaction tx) {
        for (var e : List.copyOf(pendingShares.entrySet())) share(tx, e.getKey(), e.getValue(), true);
    }

    /**
     * One step of a share: the caller's call ({@code resumed} false) rotates the session when due and fixes the
     * session key the devices of this call get (its index now: messages encrypted after the call are readable by
     * every device of the call, even one whose keys query or claim is still in flight); a resumed step (a query or
     * claim came back) shares that same key with the devices that became ready, and never rotates.
     */
    void share(StoreTransaction tx, String roomId, PendingShare request, boolean resumed) {
        // A call while an earlier one still waits keeps the earlier key: its devices must read what was sent since.
        boolean earlierWaiting = pendingShares.remove(roomId) != null;
        Map<String, Boolean> tracked = tx.trackedUsers();
        boolean waiting = false;
        for (String m : request.members()) {
            Boolean outdated = tracked.get(m);
            if (outdated == null) tx.putTrackedUser(m, true);
            if (outdated == null || outdated) waiting = true;
        }
        EncryptionSettings settings = request.settings();
        if (settings.doNotStore()) tx.markRoomDoNotStore(roomId);
        List<DeviceKeys> recipients = new ArrayList<>();
        for (String m : request.members()) {
            for (DeviceKeys d : DeviceTracker.liveDevices(tx, m).values()) {
                if (core.isOwnDevice(m, d.deviceId())) continue;
                recipients.add(d);
            }
        }
        Set<String> current = new HashSet<>();
        for (DeviceKeys d : recipients) current.add(deviceRef(d));
        OutboundGroupSessionRecord outbound = tx.outboundGroupSession(roomId).orElse(null);
        long now = core.clock.getAsLong();
        if (outbound == null || !resumed && (now - outbound.createdMillis() >= settings.rotationPeriodMs()
                || outbound.messageCount() >= settings.rotationPeriodMsgs()
                || outbound.sharedWith().stream().filter(s -> !s.startsWith("!")).anyMatch(s -> !current.contains(s)))) {
            outbound = newOutboundSession(tx, roomId);
        } else if (!resumed && !earlierWaiting) {
            outbound = outbound.withShareKey(outbound.sessionKey());
            tx.putOutboundGroupSession(outbound);
        }
        if (waiting) {
            pendingShares.put(roomId, request); // resumed when the keys query comes back
            return;
        }
        Set<String> sharedWith = new HashSet<>(outbound.sharedWith());
        Map<String, Optional<OlmSessionRecord>> sessions = new HashMap<>(); // read once per device per share
        List<DeviceKeys> toShare = new ArrayList<>();
        Map<WithheldCode, List<DeviceKeys>> withheld = new LinkedHashMap<>();
        List<String> toClaim = new ArrayList<>();
        for (DeviceKeys d : recipients) {
            String ref = deviceRef(d);
            if (sharedWith.contains(ref) || sharedWith.contains("!" + ref)) continue;
            String id = d.userId() + "|" + d.deviceId();
            WithheldCode code = null;
            if (settings.blacklistedDevices().contains(id)) {
                code = WithheldCode.BLACKLISTED;
            } else if (settings.onlyVerifiedDevices() && !tracker.isVerified(tx, d.userId(), d.deviceId())) {
                code = WithheldCode.UNVERIFIED;
            } else if (newest(tx, sessions, d).isEmpty()) {
                if (olm.hasNoOlm(id)) {
                    code = WithheldCode.NO_OLM;
                } else {
                    toClaim.add(id);
                    continue;
                }
            }
            if (code != null) {
                withheld.computeIfAbsent(code, c -> new ArrayList<>()).add(d);
                sharedWith.add("!" + ref);
            } else {
                toShare.add(d);
            }
        }
        if (!toShare.isEmpty()) {
            ToDeviceRequest roomKeys = encryptRoomKey(tx, roomId, outbound, toShare, sessions);
            // One lookup per device (a scan of toShare per user was quadratic: most of a 10,000-device share).
            for (DeviceKeys d : toShare) {
                Map<String, String> devices = roomKeys.messages().get(d.userId());
                if (devices != null && devices.containsKey(d.deviceId())) sharedWith.add(deviceRef(d));
            }
            if (!roomKeys.messages().isEmpty()) core.enqueue(tx, roomKeys);
        }
        if (!withheld.isEmpty()) {
            Map<String, Map<String, String>> messages = new LinkedHashMap<>();
            String sessionId = outbound.sessionId();
            withheld.forEach((code, devices) -> {
                for (DeviceKeys d : devices) {
                    ObjectNode c = EngineJson.object();
                    c.put("algorithm", MEGOLM).put("room_id", roomId).put("session_id", sessionId)
                            .put("sender_key", core.identityKeys.curve25519Base64()).put("code", code.code())
                            .put("reason", code.code());
                    messages.computeIfAbsent(d.userId(), u -> new LinkedHashMap<>()).put(d.deviceId(), EngineJson.write(c));
                }
            });
            core.enqueue(tx, new ToDeviceRequest("m.room_key.withheld", EngineCore.newId(), messages));
        }
        tx.putOutboundGroupSession(new OutboundGroupSessionRecord(roomId, outbound.sessionId(), outbound.sessionKey(),
                outbound.signingSeed(), outbound.createdMillis(), outbound.messageCount(), sharedWith,
                outbound.shareKey()));
        if (!toClaim.isEmpty()) {
            olm.claim(toClaim);
            pendingShares.put(roomId, request); // resumed when the claim comes back
        }
    }

    /** The most recently used Olm session with a device, read from the store once per share. */
    private static Optional<OlmSessionRecord> newest(StoreTransaction tx, Map<String, Optional<OlmSessionRecord>> cache,
                                                     DeviceKeys d) {
        return cache.computeIfAbsent(d.curve25519Key(), k -> tx.olmSessions(k).stream().findFirst());
    }

    private static String deviceRef(DeviceKeys d) {
        return d.userId() + "|" + d.deviceId() + "|" + d.curve25519Key();
    }

    private OutboundGroupSessionRecord newOutboundSession(StoreTransaction tx, String roomId) {
        byte[] ratchet = SecureRandomBytes.next(MegolmOutboundSession.RATCHET_LENGTH);
        byte[] seed = SecureRandomBytes.next(MegolmOutboundSession.SEED_LENGTH);
        try (MegolmOutboundSession session = MegolmOutboundSession.fromParts(ratchet, 0, seed)) {
            SessionKey key = session.sessionKey();
            // Our own copy, so that we read our own messages: created here, the best provenance there is.
            try (MegolmInboundSession inbound = MegolmInboundSession.create(key, roomId, new KeyProvenance.CreatedHere())) {
                var exported = new ExportedRoomKey(MEGOLM, roomId, core.identityKeys.curve25519Base64(), session.sessionId(),
                        inbound.export().toBase64(), Map.of("ed25519", core.identityKeys.ed25519Base64()), List.of(), false);
                tx.addRoomKey(RoomKeyRecord.of(exported, new KeyProvenance.CreatedHere(), 0));
            }
            var record = new OutboundGroupSessionRecord(roomId, session.sessionId(), key.toBase64(),
                    MatrixBase64.encode(seed), core.clock.getAsLong(), 0, Set.of(), key.toBase64());
            tx.putOutboundGroupSession(record);
            return record;
        } finally {
            java.util.Arrays.fill(ratchet, (byte) 0);
            java.util.Arrays.fill(seed, (byte) 0);
        }
    }

    static MegolmOutboundSession restore(OutboundGroupSessionRecord record) {
        byte[] key = MatrixBase64.decode(record.sessionKey(), "session_key");
        byte[] seed = MatrixBase64.decode(record.signingSeed(), "signing seed");
        try {
            long index = java.nio.ByteBuffer.wrap(key, 1, 4).getInt() & 0xFFFF_FFFFL;
            byte[] ratchet = java.util.Arrays.copyOfRange(key, 5, 5 + MegolmOutboundSession.RATCHET_LENGTH);
            try {
                return MegolmOutboundSession.fromParts(ratchet, index, seed);
            } finally {
                java.util.Arrays.fill(ratchet, (byte) 0);
            }
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
            java.util.Arrays.fill(seed, (byte) 0);
        }
    }

    /** The m.room_key for every device in one native batch call; the advanced Olm sessions are stored. */
    private ToDeviceRequest encryptRoomKey(StoreTransaction tx, String roomId, OutboundGroupSessionRecord outbound,
                                           List<DeviceKeys> devices, Map<String, Optional<OlmSessionRecord>> cache) {
        ObjectNode content = EngineJson.object();
        content.put("algorithm", MEGOLM).put("room_id", roomId).put("session_id", outbound.sessionId())
                .put("session_key", outbound.shareKey());
        if (tx.doNotStore(roomId, outbound.sessionId())) DoNotStore.mark(content);
        // Everything but recipient and recipient_keys is the same for every device: two holes in one template.
        String head = "{\"type\":\"m.room_key\",\"content\":" + EngineJson.write(content) + ",\"sender\":"
                + EngineJson.quote(core.userId) + ",\"sender_device\":" + EngineJson.quote(core.deviceId)
                + ",\"keys\":{\"ed25519\":" + EngineJson.quote(core.identityKeys.ed25519Base64()) + "},\"recipient\":";
        PayloadTemplate template = PayloadTemplate.of(head, ",\"recipient_keys\":{\"ed25519\":", "}}");
        List<BatchEncryption.Recipient> recipients = new ArrayList<>();
        List<Session> sessions = new ArrayList<>();
        List<OlmSessionRecord> records = new ArrayList<>();
        try {
            for (DeviceKeys d : devices) {
                OlmSessionRecord record = newest(tx, cache, d).orElseThrow();
                Session s = Session.fromPickle(record.pickle(), core.pickleKey);
                sessions.add(s);
                records.add(record);
                recipients.add(new BatchEncryption.Recipient(s, List.of(
                        EngineJson.quote(d.userId()).getBytes(StandardCharsets.UTF_8),
                        EngineJson.quote(d.ed25519Key()).getBytes(StandardCharsets.UTF_8))));
            }
            List<BatchEncryption.Result> results = BatchEncryption.encrypt(template, recipients);
            Map<String, Map<String, String>> messages = new LinkedHashMap<>();
            long now = core.clock.getAsLong();
            for (int i = 0; i < devices.size(); i++) {
                BatchEncryption.Result r = results.get(i);
                if (!r.ok()) continue;
                DeviceKeys d = devices.get(i);
                OlmSessionRecord rec = records.get(i);
                tx.putOlmSession(new OlmSessionRecord(rec.senderKey(), rec.sessionId(), sessions.get(i).pickle(core.pickleKey),
                        rec.createdMillis(), now));
                messages.computeIfAbsent(d.userId(), u -> new LinkedHashMap<>())
                        .put(d.deviceId(), EngineJson.write(olm.encryptedContent(d.curve25519Key(), r.type(), r.body())));
            }
            return new ToDeviceRequest("m.room.encrypted", EngineCore.newId(), messages);
        } finally {
            for (Session s : sessions) s.close();
        }
    }
}
