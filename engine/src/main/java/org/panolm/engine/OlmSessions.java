package org.panolm.engine;

import org.jspecify.annotations.Nullable;
import org.panolm.internal.json.SignedTree;
import static org.panolm.engine.EngineCore.OLM;
import static org.panolm.engine.EngineCore.SIGNED_CURVE25519;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.PanolmException;
import org.panolm.crosssigning.DeviceKeys;
import org.panolm.encoding.MatrixBase64;
import org.panolm.engine.store.OlmSessionRecord;
import org.panolm.engine.store.StoreTransaction;
import org.panolm.olm.Curve25519PublicKey;
import org.panolm.olm.InboundSession;
import org.panolm.olm.OlmMessage;
import org.panolm.olm.Session;

/**
 * Olm sessions with other devices: claiming one-time keys and creating outbound sessions, encrypting a to-device
 * event for one device, decrypting what arrives, and unwedging broken sessions with {@code m.dummy}.
 */
final class OlmSessions {
    /** Unwedging (a new session and an m.dummy) at most this often per device, as matrix-sdk-crypto does. */
    private static final long UNWEDGE_INTERVAL_MS = 3_600_000L;

    private final EngineCore core;
    private @Nullable String claimInFlight;
    private Set<String> claimedDevices = Set.of();
    /** Devices ({@code user|device}) whose claim returned no key: they get {@code m.no_olm}. */
    private final Set<String> noOlm = new HashSet<>();
    /** Devices ({@code user|device}) to send an m.dummy once a session is claimed, to unwedge a broken one. */
    private final Set<String> unwedge = new LinkedHashSet<>();
    private final Map<String, Long> lastUnwedge = new HashMap<>();

    OlmSessions(EngineCore core) {
        this.core = core;
    }

    /** True when a claim for this device ({@code user|device}) returned no usable key. */
    boolean hasNoOlm(String device) {
        return noOlm.contains(device);
    }

    void handleKeysClaim(StoreTransaction tx, JsonNode response) {
        JsonNode keys = response.get("one_time_keys");
        if (keys != null && !keys.isObject()) throw new EngineException("the keys/claim response's one_time_keys is not an object");
        Set<String> got = new HashSet<>();
        if (keys != null) {
            for (var userEntry : keys.properties()) {
                String user = userEntry.getKey();
                Map<String, DeviceKeys> devices = DeviceTracker.liveDevices(tx, user);
                for (var deviceEntry : userEntry.getValue().properties()) {
                    DeviceKeys device = devices.get(deviceEntry.getKey());
                    if (device == null || !claimedDevices.contains(user + "|" + device.deviceId())) continue;
                    if (createOutbound(tx, device, deviceEntry.getValue())) got.add(user + "|" + device.deviceId());
                }
            }
        }
        for (String d : claimedDevices) if (!got.contains(d)) noOlm.add(d);
        claimedDevices = Set.of();
        claimInFlight = null;
    }

    /** An outbound session on the first valid signed one-time key among {@code keys}; false when none is. */
    private boolean createOutbound(StoreTransaction tx, DeviceKeys device, JsonNode keys) {
        for (var keyEntry : keys.properties()) {
            if (!keyEntry.getKey().startsWith(SIGNED_CURVE25519 + ":")) continue;
            JsonNode key = keyEntry.getValue();
            String publicKey = EngineJson.text(key, "key");
            if (publicKey == null || !isSignedByDevice(key, device)) continue;
            try (Session session = Session.createOutbound(core.account,
                    Curve25519PublicKey.fromBase64(device.curve25519Key()),
                    Curve25519PublicKey.fromBase64(publicKey))) {
                long now = core.clock.getAsLong();
                tx.putOlmSession(new OlmSessionRecord(device.curve25519Key(), session.sessionId(),
                        session.pickle(core.pickleKey), now, now));
                return true;
            } catch (PanolmException e) {
                continue; // a bad key: the next one is tried, and with none the device gets m.no_olm
            }
        }
        return false;
    }

    private static boolean isSignedByDevice(JsonNode object, DeviceKeys device) {
        try {
            return SignedTree.isSignedBy(object, device.userId(), device.deviceId(),
                    MatrixBase64.decode(device.ed25519Key(), "ed25519 key"));
        } catch (PanolmException e) {
            return false;
        }
    }

    /** Queues a claim for these devices ({@code user|device}) unless one is in flight; true when queued. */
    boolean claim(Collection<String> devices) {
        if (devices.isEmpty() || claimInFlight != null) return false;
        Map<String, Map<String, String>> body = new LinkedHashMap<>();
        for (String d : devices) {
            String[] parts = d.split("\\|", 2);
            body.computeIfAbsent(parts[0], u -> new LinkedHashMap<>()).put(parts[1], SIGNED_CURVE25519);
        }
        claimInFlight = EngineCore.newId();
        claimedDevices = Set.copyOf(devices);
        core.queue.put(claimInFlight, new OutgoingRequest(claimInFlight, new KeysClaimRequest(body)));
        return true;
    }

    /** The Olm payload for {@code recipient}: what the spec requires beside {@code type} and {@code content}. */
    private ObjectNode payload(String type, JsonNode content, DeviceKeys recipient) {
        ObjectNode p = EngineJson.object();
        p.put("type", type).set("content", content);
        p.put("sender", core.userId).put("sender_device", core.deviceId);
        p.putObject("keys").put("ed25519", core.identityKeys.ed25519Base64());
        p.put("recipient", recipient.userId());
        p.putObject("recipient_keys").put("ed25519", recipient.ed25519Key());
        return p;
    }

    /** The {@code m.room.encrypted} to-device content carrying one Olm message for one device. */
    ObjectNode encryptedContent(String recipientCurve, OlmMessage.Type type, String body) {
        ObjectNode content = EngineJson.object();
        content.put("algorithm", OLM).put("sender_key", core.identityKeys.curve25519Base64());
        content.putObject("ciphertext").putObject(recipientCurve).put("type", type.code()).put("body", body);
        return content;
    }

    /** Encrypts one event for one device on its most recently used session, storing the advanced session; null
     *  when there is no session with it. */
    @Nullable ObjectNode encryptFor(StoreTransaction tx, DeviceKeys device, String type, JsonNode content) {
        List<OlmSessionRecord> sessions = tx.olmSessions(device.curve25519Key());
        if (sessions.isEmpty()) return null;
        OlmSessionRecord record = sessions.getFirst();
        try (Session session = Session.fromPickle(record.pickle(), core.pickleKey)) {
            byte[] plaintext = EngineJson.write(payload(type, content, device)).getBytes(StandardCharsets.UTF_8);
            OlmMessage message = session.encrypt(plaintext);
            tx.putOlmSession(new OlmSessionRecord(record.senderKey(), record.sessionId(), session.pickle(core.pickleKey),
                    record.createdMillis(), core.clock.getAsLong()));
            return encryptedContent(device.curve25519Key(), message.type(), message.bodyBase64());
        }
    }

    /** Tries the known sessions; on a pre-key message that none matches, makes a new inbound session. */
    byte @Nullable [] decrypt(StoreTransaction tx, Curve25519PublicKey senderCurve, String senderKey, OlmMessage message) {
        boolean preKey = message.type() == OlmMessage.Type.PRE_KEY;
        for (OlmSessionRecord record : tx.olmSessions(senderKey)) {
            try (Session session = Session.fromPickle(record.pickle(), core.pickleKey)) {
                if (preKey && !session.matchesInboundFrom(senderCurve, message)) continue;
                byte[] plaintext;
                try {
                    plaintext = session.decrypt(message);
                } catch (PanolmException e) {
                    if (preKey) return null; // the matching session failed: the message is bad, not the session
                    continue;
                }
                tx.putOlmSession(new OlmSessionRecord(senderKey, record.sessionId(), session.pickle(core.pickleKey),
                        record.createdMillis(), core.clock.getAsLong()));
                return plaintext;
            }
        }
        if (!preKey) return null;
        try (InboundSession inbound = core.account.createInboundSession(senderCurve, message)) {
            long now = core.clock.getAsLong();
            tx.putOlmSession(new OlmSessionRecord(senderKey, inbound.session().sessionId(),
                    inbound.session().pickle(core.pickleKey), now, now));
            core.saveAccount(tx); // the one-time key is gone
            return inbound.plaintext();
        } catch (PanolmException e) {
            return null;
        }
    }

    /** A message from this device failed to decrypt: a new session and an m.dummy, at most once an hour. */
    void scheduleUnwedge(StoreTransaction tx, String sender, String senderKey) {
        DeviceKeys device = DeviceTracker.deviceByCurveKey(tx, sender, senderKey);
        if (device == null) return;
        String key = sender + "|" + device.deviceId();
        Long last = lastUnwedge.get(key);
        long now = core.clock.getAsLong();
        if (last != null && now - last < UNWEDGE_INTERVAL_MS) return;
        lastUnwedge.put(key, now);
        unwedge.add(key);
    }

    /** A new session with each wedged device (claimed first), on which an m.dummy is sent. */
    void sendUnwedgingDummies(StoreTransaction tx) {
        if (unwedge.isEmpty()) return;
        List<String> toClaim = new ArrayList<>();
        Map<String, Map<String, String>> messages = new LinkedHashMap<>();
        for (var it = unwedge.iterator(); it.hasNext(); ) {
            String key = it.next();
            String[] parts = key.split("\\|", 2);
            DeviceKeys device = DeviceTracker.liveDevices(tx, parts[0]).get(parts[1]);
            if (device == null) {
                it.remove();
                continue;
            }
            boolean fresh = tx.olmSessions(device.curve25519Key()).stream()
                    .anyMatch(s -> s.createdMillis() >= lastUnwedge.getOrDefault(key, Long.MAX_VALUE));
            if (!fresh) {
                if (!noOlm.remove(key)) toClaim.add(key);
                else it.remove();
                continue;
            }
            ObjectNode content = encryptFor(tx, device, "m.dummy", EngineJson.object());
            messages.computeIfAbsent(parts[0], u -> new LinkedHashMap<>()).put(parts[1], EngineJson.write(content));
            it.remove();
        }
        if (!messages.isEmpty()) core.enqueue(tx, new ToDeviceRequest("m.room.encrypted", EngineCore.newId(), messages));
        claim(toClaim);
    }

    /** Queues an encrypted to-device event for one device, or throws when it is unknown or has no session. */
    void sendToDevice(StoreTransaction tx, String user, String device, String eventType, JsonNode content) {
        DeviceKeys keys = DeviceTracker.liveDevices(tx, user).get(device);
        if (keys == null) throw new EngineException("device " + device + " of " + user + " is not known");
        ObjectNode encrypted = encryptFor(tx, keys, eventType, content);
        if (encrypted == null) throw new EngineException("no Olm session with device " + device + " of " + user);
        core.enqueue(tx, new ToDeviceRequest("m.room.encrypted", EngineCore.newId(), Map.of(user, Map.of(device, EngineJson.write(encrypted)))));
    }
}
