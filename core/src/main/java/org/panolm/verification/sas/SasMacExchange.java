package org.panolm.verification.sas;

import static org.panolm.verification.VerificationEvents.MAC;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jspecify.annotations.Nullable;
import org.panolm.verification.CancelCode;
import org.panolm.verification.OwnIdentity;
import org.panolm.verification.PeerKeys;

/**
 * The last step of SAS: MACs of each side's keys under the shared secret ({@code m.key.verification.mac}).
 * {@link #ourMacs} makes ours; {@link #check} verifies theirs against what we believe their keys are, and
 * yields the keys that are now verified, or why the flow must cancel.
 */
final class SasMacExchange {
    private SasMacExchange() {}

    /** One side of the flow, as the MAC info strings name it. */
    record Party(String userId, String deviceId) {}

    /** The outcome of checking their MACs: verified keys, or the code and reason to cancel with. */
    record Check(@Nullable VerifiedKeys verified, @Nullable CancelCode code, @Nullable String reason) {
        static Check cancel(CancelCode code, String reason) {
            return new Check(null, code, reason);
        }
    }

    /** The content of our {@code m.key.verification.mac}: our device key and master key (when we have one). */
    static ObjectNode ourMacs(EstablishedSas established, SasMacMethod method, OwnIdentity own, Party them,
            String flowId) {
        String base = SasInfo.macBase(own.userId(), own.deviceId(), them.userId(), them.deviceId(), flowId);
        TreeMap<String, String> keys = new TreeMap<>();
        keys.put("ed25519:" + own.deviceId(), own.deviceEd25519Key());
        String master = own.masterKey();
        if (master != null) {
            keys.put("ed25519:" + master, master);
        }
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        ObjectNode macs = m.putObject("mac");
        for (var e : keys.entrySet()) {
            macs.put(e.getKey(), established.calculateMac(e.getValue(), base + e.getKey(), method));
        }
        m.put("keys", established.calculateMac(String.join(",", keys.keySet()), base + SasInfo.KEY_IDS, method));
        return m;
    }

    /**
     * Verifies their MACs: the key-id list, then each key we hold a belief about (the others prove nothing
     * and are ignored). At least one known key must be covered.
     */
    static Check check(ObjectNode c, EstablishedSas established, SasMacMethod method, PeerKeys peer, String otherDevice,
            OwnIdentity own, String flowId) {
        JsonNode macs = c.get("mac");
        if (!(macs instanceof ObjectNode macObject) || macObject.isEmpty()) {
            return Check.cancel(CancelCode.INVALID_MESSAGE, MAC + ".mac is missing or empty");
        }
        String keysMac = SasMessages.text(c, "keys", MAC);
        String base = SasInfo.macBase(peer.userId(), otherDevice, own.userId(), own.deviceId(), flowId);
        TreeMap<String, String> received = new TreeMap<>();
        for (var e : macObject.properties()) {
            if (!e.getValue().isTextual()) {
                return Check.cancel(CancelCode.INVALID_MESSAGE, MAC + ".mac[" + e.getKey() + "] is not a string");
            }
            received.put(e.getKey(), e.getValue().textValue());
        }
        // Key ids sort by byte order here, as in every implementation (they are ASCII in practice).
        String keyIds = String.join(",", received.keySet());
        if (!established.verifyMac(keyIds, base + SasInfo.KEY_IDS, method, keysMac)) {
            return Check.cancel(CancelCode.KEY_MISMATCH, "the MAC of the key id list does not match");
        }
        Map<String, String> verified = new TreeMap<>();
        for (var e : received.entrySet()) {
            Optional<String> expected = expectedKey(e.getKey(), peer, otherDevice);
            if (expected.isEmpty()) {
                continue; // a key we hold no belief about proves nothing; ignore it
            }
            if (!established.verifyMac(expected.get(), base + e.getKey(), method, e.getValue())) {
                return Check.cancel(CancelCode.KEY_MISMATCH, "the MAC of " + e.getKey() + " does not match our copy of that key");
            }
            verified.put(e.getKey(), expected.get());
        }
        if (verified.isEmpty()) {
            return Check.cancel(CancelCode.KEY_MISMATCH, MAC + " covers none of the keys we know for " + peer.userId());
        }
        return new Check(new VerifiedKeys(peer.userId(), verified), null, null);
    }

    private static Optional<String> expectedKey(String keyId, PeerKeys peer, String otherDevice) {
        if (!keyId.startsWith("ed25519:")) {
            return Optional.empty();
        }
        String id = keyId.substring("ed25519:".length());
        if (id.equals(otherDevice)) {
            return peer.deviceKey(id);
        }
        if (id.equals(peer.masterKey())) {
            return Optional.of(peer.masterKey());
        }
        return Optional.empty();
    }
}
