package org.panolm.client.device;

import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.panolm.client.Credentials;
import org.panolm.client.HomeserverClient;
import org.panolm.encoding.MatrixBase64;
import org.panolm.json.JsonSigning;
import org.panolm.olm.Account;

/**
 * This device: the user and device id of a login and the Olm account whose Ed25519 key signs for it. The
 * account stays owned by the caller (who pickles it into the store); this object does not close it.
 */
public final class OwnDevice {
    /** The algorithms this device announces. */
    private static final String[] ALGORITHMS = {"m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"};

    private final String userId;
    private final String deviceId;
    private final Account account;

    /**
     * The device of a login.
     *
     * @param credentials the login's credentials
     * @param account the device's Olm account
     */
    public OwnDevice(Credentials credentials, Account account) {
        this(credentials.userId(), credentials.deviceId(), account);
    }

    /**
     * A device by its ids.
     *
     * @param userId our user id
     * @param deviceId this device's id
     * @param account the device's Olm account
     */
    public OwnDevice(String userId, String deviceId, Account account) {
        this.userId = Objects.requireNonNull(userId, "userId");
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.account = Objects.requireNonNull(account, "account");
    }

    /**
     * Our user id.
     *
     * @return the user id
     */
    public String userId() {
        return userId;
    }

    /**
     * This device's id.
     *
     * @return the device id
     */
    public String deviceId() {
        return deviceId;
    }

    /**
     * The device's Ed25519 key, unpadded base64.
     *
     * @return the key
     */
    public String ed25519Key() {
        return account.identityKeys().ed25519Base64();
    }

    /**
     * A copy of {@code object} signed by this device ({@code signatures[userId]["ed25519:" + deviceId]}), over
     * its canonical JSON without {@code signatures} and {@code unsigned}; other signatures are kept.
     *
     * @param object the object to sign
     * @return the signed copy
     */
    public ObjectNode sign(JsonNode object) {
        if (!(object instanceof ObjectNode o)) throw new IllegalArgumentException("only a JSON object can be signed");
        ObjectNode copy = o.deepCopy();
        String signature = MatrixBase64.encode(account.sign(JsonSigning.signedBytes(copy)));
        JsonNode sigs = copy.get(JsonSigning.SIGNATURES);
        ObjectNode all = sigs instanceof ObjectNode s ? s : copy.putObject(JsonSigning.SIGNATURES);
        JsonNode mine = all.get(userId);
        ObjectNode byUser = mine instanceof ObjectNode m ? m : all.putObject(userId);
        byUser.put(JsonSigning.ED25519_PREFIX + deviceId, signature);
        return copy;
    }

    /**
     * The device keys object, self-signed, as {@code /keys/upload} publishes it.
     *
     * @param json the mapper to build it with
     * @return the signed device keys
     */
    public ObjectNode deviceKeys(ObjectMapper json) {
        ObjectNode keys = json.createObjectNode();
        keys.put("user_id", userId);
        keys.put("device_id", deviceId);
        var algorithms = keys.putArray("algorithms");
        for (String a : ALGORITHMS) algorithms.add(a);
        ObjectNode k = keys.putObject("keys");
        k.put("curve25519:" + deviceId, account.identityKeys().curve25519Base64());
        k.put(JsonSigning.ED25519_PREFIX + deviceId, ed25519Key());
        return sign(keys);
    }

    /**
     * Publishes the device keys ({@code POST /keys/upload}), so that signatures by this device can be checked
     * by others and the self-signing key can sign it.
     *
     * @param client the client logged in as this device
     */
    public void uploadDeviceKeys(HomeserverClient client) {
        ObjectNode body = client.json().createObjectNode();
        body.set("device_keys", deviceKeys(client.json()));
        client.post("/_matrix/client/v3/keys/upload", body, JsonNode.class);
    }

    @Override
    public String toString() {
        return "OwnDevice[" + userId + " " + deviceId + "]";
    }
}
