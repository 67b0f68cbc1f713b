package org.panolm.engine;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.panolm.PanolmException;
import org.panolm.crosssigning.DeviceKeys;
import org.panolm.crosssigning.KeyUsage;
import org.panolm.crosssigning.UserCrossSigningKeys;
import org.panolm.engine.store.StoreTransaction;
import org.panolm.verification.CancelCode;
import org.panolm.verification.OutgoingEvent;
import org.panolm.verification.OwnIdentity;
import org.panolm.verification.PeerKeys;
import org.panolm.verification.Recipient;
import org.panolm.verification.VerificationEvents;
import org.panolm.verification.qr.QrCodeData;
import org.panolm.verification.sas.SasState;
import org.panolm.verification.sas.SasVerification;
import org.panolm.verification.sas.VerifiedKeys;

/**
 * SAS and QR-code verifications over to-device {@code m.key.verification.*} events: core's state machine per flow, fed the
 * events the engine receives, its answers queued as to-device requests, and the device marked verified when a flow
 * ends in {@code done}, with the cross-signing signatures that earns (and, for our own other device, a request
 * for the cross-signing keys we lack). Flows live in memory only: each sync ends those older than ten minutes with
 * {@code m.timeout} (a restart forgets them; the other side times out, as the spec allows).
 */
final class Verifications {
    private final EngineCore core;
    private final CrossSigner crossSigner;
    private final Secrets secrets;
    private final Map<String, SasVerification> flows = new LinkedHashMap<>();
    private final Map<String, String> otherUser = new LinkedHashMap<>();
    /** Flows whose outcome was acted on: a redelivered event after done signs nothing twice. */
    private final Set<String> settled = new HashSet<>();

    Verifications(EngineCore core, CrossSigner crossSigner, Secrets secrets) {
        this.core = core;
        this.crossSigner = crossSigner;
        this.secrets = secrets;
    }

    /** Starts a verification of one device of {@code user}; returns the flow id (the {@code transaction_id}). */
    String request(StoreTransaction tx, String user, String device) {
        DeviceKeys keys = DeviceTracker.liveDevices(tx, user).get(device);
        if (keys == null) throw new EngineException("device " + device + " of " + user + " is not known");
        String flowId = EngineCore.newId();
        SasVerification sas = SasVerification.request(own(tx), peer(tx, user), flowId, clock());
        flows.put(flowId, sas);
        otherUser.put(flowId, user);
        // Addressed to the one device we mean, not to all of the user's devices.
        OutgoingEvent request = sas.requestEvent();
        send(tx, user, List.of(new OutgoingEvent(request.type(), request.content(), new Recipient.Device(device))));
        return flowId;
    }

    /** Takes one {@code m.key.verification.*} event (plaintext or decrypted); true when it was one. */
    boolean receive(StoreTransaction tx, String sender, String type, JsonNode content) {
        if (!type.startsWith("m.key.verification.")) return false;
        String flowId = EngineJson.text(content, "transaction_id");
        if (flowId == null) return true; // not a to-device flow event: nothing to tie it to
        if (type.equals(VerificationEvents.REQUEST)) {
            if (flows.containsKey(flowId)) return true;
            try {
                SasVerification sas = SasVerification.fromRequest(own(tx), peer(tx, sender), sender, EngineJson.write(content), clock());
                flows.put(flowId, sas);
                otherUser.put(flowId, sender);
            } catch (PanolmException | IllegalArgumentException e) {
                // A malformed, stale or SAS-less request is ignored, as the spec says.
            }
            return true;
        }
        SasVerification sas = flows.get(flowId);
        if (sas == null || !sender.equals(otherUser.get(flowId))) return true;
        send(tx, sender, sas.receive(sender, type, EngineJson.write(content)));
        settle(tx, flowId);
        return true;
    }

    /** Ended flows kept for their state and cancellation; beyond this many the oldest are forgotten. */
    static final int ENDED_KEPT = 100;

    /**
     * Cancels with {@code m.timeout} every flow older than the spec's ten minutes that has not ended, telling the
     * other side, and forgets the oldest ended flows beyond {@link #ENDED_KEPT}, so a long-running client's
     * memory does not grow with every verification it ever saw.
     */
    void expire(StoreTransaction tx) {
        for (var e : List.copyOf(flows.entrySet())) {
            e.getValue().checkTimeout().ifPresent(cancel -> send(tx, otherUser.get(e.getKey()), List.of(cancel)));
        }
        List<String> ended = flows.entrySet().stream()
                .filter(e -> e.getValue().state() == SasState.DONE || e.getValue().state() == SasState.CANCELLED)
                .map(Map.Entry::getKey).toList();
        for (int i = 0; i < ended.size() - ENDED_KEPT; i++) {
            String id = ended.get(i);
            flows.remove(id).close();
            otherUser.remove(id);
            settled.remove(id);
        }
    }

    SasVerification flow(String flowId) {
        SasVerification sas = flows.get(flowId);
        if (sas == null) throw new EngineException("no verification has the flow id " + flowId);
        return sas;
    }

    String otherUser(String flowId) {
        flow(flowId);
        return otherUser.get(flowId);
    }

    List<String> flowIds() {
        return List.copyOf(flows.keySet());
    }

    void accept(StoreTransaction tx, String flowId) {
        send(tx, otherUser(flowId), flow(flowId).accept());
    }

    void startSas(StoreTransaction tx, String flowId) {
        send(tx, otherUser(flowId), flow(flowId).startSas());
    }

    QrCodeData qrCode(String flowId) {
        return flow(flowId).qrCode();
    }

    void scanQrCode(StoreTransaction tx, String flowId, byte[] scanned) {
        send(tx, otherUser(flowId), flow(flowId).scanQrCode(scanned));
        settle(tx, flowId);
    }

    void confirm(StoreTransaction tx, String flowId) {
        send(tx, otherUser(flowId), flow(flowId).confirm());
        settle(tx, flowId);
    }

    void mismatch(StoreTransaction tx, String flowId) {
        send(tx, otherUser(flowId), flow(flowId).mismatch());
    }

    void cancel(StoreTransaction tx, String flowId) {
        send(tx, otherUser(flowId), flow(flowId).cancel(CancelCode.USER));
    }

    /**
     * When the flow is done, the device whose keys the MACs proved is marked verified by us, and the cross-signing
     * signatures the verification earns are made and queued ({@link CrossSigner#afterVerification}).
     */
    private void settle(StoreTransaction tx, String flowId) {
        SasVerification sas = flows.get(flowId);
        if (sas.state() != SasState.DONE || sas.verifiedKeys().isEmpty() || sas.otherDevice().isEmpty()) return;
        if (!settled.add(flowId)) return;
        String user = otherUser.get(flowId);
        String device = sas.otherDevice().get();
        VerifiedKeys proved = sas.verifiedKeys().get();
        DeviceKeys keys = DeviceTracker.liveDevices(tx, user).get(device);
        // SAS proves the device's key; a QR code proves the device's key or the master key, depending on its mode.
        boolean deviceProved = keys != null && keys.ed25519Key().equals(proved.keys().get("ed25519:" + device));
        if (deviceProved) DeviceTracker.setLocalTrust(tx, user, device);
        boolean masterProved = crossSigner.afterVerification(tx, user, device, proved, deviceProved);
        if (!deviceProved && !masterProved) return;
        if (user.equals(core.userId)) {
            // Our other device is verified now: it may hold the cross-signing keys we lack, and answers only now.
            for (KeyUsage usage : KeyUsage.values()) {
                String name = CrossSigner.secretName(usage);
                if (Secrets.get(tx, name).isEmpty()) secrets.request(tx, name);
            }
        }
    }

    private void send(StoreTransaction tx, String user, List<OutgoingEvent> events) {
        for (OutgoingEvent e : events) {
            Map<String, String> byDevice = new LinkedHashMap<>();
            String content = e.content();
            switch (e.recipient()) {
                case Recipient.Device d -> byDevice.put(d.deviceId(), content);
                case Recipient.AllDevices a -> byDevice.put("*", content);
                case Recipient.AllDevicesExcept x -> {
                    for (String id : DeviceTracker.liveDevices(tx, user).keySet()) {
                        if (!id.equals(x.deviceId()) && !core.isOwnDevice(user, id)) byDevice.put(id, content);
                    }
                }
                case Recipient.Room r -> throw new IllegalStateException("in-room verification is not driven by the engine");
            }
            if (!byDevice.isEmpty()) {
                core.enqueue(tx, new ToDeviceRequest(e.type(), EngineCore.newId(), Map.of(user, byDevice)));
            }
        }
    }

    /** Our MACs cover our master key when our identity is trusted here, so the other side can sign it. */
    private OwnIdentity own(StoreTransaction tx) {
        return new OwnIdentity(core.userId, core.deviceId, core.identityKeys.ed25519Base64(),
                crossSigner.trustedOwnMasterKey(tx));
    }

    /** Their devices and the master key the server lists for them: a MAC over it lets us sign it. */
    private static PeerKeys peer(StoreTransaction tx, String user) {
        Map<String, String> keys = new LinkedHashMap<>();
        DeviceTracker.liveDevices(tx, user).forEach((id, d) -> keys.put(id, d.ed25519Key()));
        UserCrossSigningKeys identity = DeviceTracker.crossSigningKeys(tx, user);
        return new PeerKeys(user, keys, identity == null ? null : identity.master().publicKey());
    }

    /** The engine's clock as the state machine's (timeouts follow the engine's time, tests included). */
    private Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(core.clock.getAsLong());
            }
        };
    }
}
