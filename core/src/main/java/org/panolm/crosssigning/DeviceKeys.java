package org.panolm.crosssigning;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jspecify.annotations.Nullable;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.json.JsonSigning;
import org.panolm.subtle.Ed25519;

/**
 * A device keys object ({@code DeviceKeys} of the spec, docs/formats.md §8.3) as {@code /keys/query} returns and
 * {@code /keys/upload} takes it. The original JSON is kept for signature checks.
 *
 * @param userId the user the device belongs to
 * @param deviceId the device id
 * @param algorithms the encryption algorithms the device supports
 * @param keys its keys by key id ({@code ed25519:<deviceId>}, {@code curve25519:<deviceId>})
 * @param json the whole object as JSON text, as received (signatures cover every field)
 */
public record DeviceKeys(String userId, String deviceId, List<String> algorithms, Map<String, String> keys, String json) {

    /** Keeps copies of the list and the map. */
    public DeviceKeys {
        algorithms = List.copyOf(algorithms);
        keys = Map.copyOf(keys);
    }

    /**
     * Reads a device keys object; it must name its user and device and carry a 32-byte Ed25519 key.
     *
     * @param json the object as JSON text
     * @return the device keys
     * @throws PanolmException {@code BAD_MESSAGE_FORMAT} when it is not such an object
     */
    public static DeviceKeys fromJson(String json) {
        return fromTree(Json.parseObject(json, "device keys"));
    }

    /** As {@link #fromJson(String)}, for an object already parsed in this package. */
    static DeviceKeys fromTree(JsonNode node) {
        ObjectNode o = Json.object(node, "device keys");
        String user = Json.text(o, "user_id", "device keys");
        String device = Json.text(o, "device_id", "device keys");
        String what = "device keys of " + user + "/" + device;
        var keys = Json.textMap(o, "keys", what);
        String ed = keys.get(JsonSigning.ED25519_PREFIX + device);
        if (ed == null) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT, what + " has no ed25519:" + device + " key");
        }
        MatrixBase64.decode(ed, Ed25519.PUBLIC_KEY_LENGTH, what + " ed25519 key");
        return new DeviceKeys(user, device, Json.textList(o, "algorithms", what), keys, o.toString());
    }

    /**
     * The device's Ed25519 key (its fingerprint), unpadded base64.
     *
     * @return the key, or null when missing
     */
    public @Nullable String ed25519Key() {
        return keys.get(JsonSigning.ED25519_PREFIX + deviceId);
    }

    /**
     * The device's Curve25519 identity key, unpadded base64.
     *
     * @return the key, or null when missing
     */
    public @Nullable String curve25519Key() {
        return keys.get("curve25519:" + deviceId);
    }

    /**
     * True when the object is signed by the device's own Ed25519 key.
     *
     * @return whether the device signed its own keys
     */
    public boolean isSelfSigned() {
        return JsonSigning.isSignedBy(json, userId, deviceId, MatrixBase64.decode(ed25519Key(), "device key"));
    }

    /**
     * True when the object carries a valid signature by this self-signing key.
     *
     * @param selfSigningKey the owner's self-signing key
     * @return whether it signed this object, validly
     */
    public boolean isSignedBy(CrossSigningKey selfSigningKey) {
        return selfSigningKey.userId().equals(userId)
                && JsonSigning.isSignedBy(json, userId, selfSigningKey.publicKey(), selfSigningKey.publicKeyBytes());
    }

    @Override
    public String toString() {
        return "DeviceKeys[" + userId + "/" + deviceId + ", ed25519=" + ed25519Key() + "]";
    }
}
