package org.panolm.client.device;

import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.panolm.client.Credentials;
import org.panolm.client.HomeserverClient;
import org.panolm.client.internal.ClientJson;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.json.SignedTree;
import org.panolm.json.JsonSigning;
import org.panolm.olm.Account;

/**
 * This device: the user and device id of a login and what signs for it: an Olm account (which stays owned by the
 * caller, who pickles it into the store; this object does not close it) or the engine's device.
 */
public final class OwnDevice {
    /** The algorithms this device announces. */
    private static final String[] ALGORITHMS = {"m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"};

    private final String userId;
    private final String deviceId;
    private final String curve25519Key;
    private final String ed25519Key;
    private final JsonSigner signer;

    /** Signs a JSON object as this device; an Olm account or the engine's {@code OlmMachine::signJson}. */
    @FunctionalInterface
    public interface JsonSigner {
        /**
         * A copy of {@code objectJson} with this device's signature added over its canonical JSON (without
         * {@code signatures} and {@code unsigned}), other signatures kept.
         *
         * @param objectJson the object to sign, JSON text
         * @return the signed copy, JSON text
         */
        String sign(String objectJson);
    }

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
        this(userId, deviceId, Objects.requireNonNull(account, "account").identityKeys().curve25519Base64(),
                account.identityKeys().ed25519Base64(),
                o -> signWith(account, userId, deviceId, ClientJson.argument(o, "objectJson")).toString());
    }

    /**
     * A device whose keys are held elsewhere (the engine's): its identity keys and what signs for it.
     *
     * @param userId our user id
     * @param deviceId this device's id
     * @param curve25519Key the device's Curve25519 identity key, unpadded base64
     * @param ed25519Key the device's Ed25519 key, unpadded base64
     * @param signer signs as the device
     */
    public OwnDevice(String userId, String deviceId, String curve25519Key, String ed25519Key, JsonSigner signer) {
        this.userId = Objects.requireNonNull(userId, "userId");
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.curve25519Key = Objects.requireNonNull(curve25519Key, "curve25519Key");
        this.ed25519Key = Objects.requireNonNull(ed25519Key, "ed25519Key");
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    private static ObjectNode signWith(Account account, String userId, String deviceId, ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        String signature = MatrixBase64.encode(account.sign(SignedTree.signedBytes(copy)));
        JsonNode sigs = copy.get(JsonSigning.SIGNATURES);
        ObjectNode all = sigs instanceof ObjectNode s ? s : copy.putObject(JsonSigning.SIGNATURES);
        JsonNode mine = all.get(userId);
        ObjectNode byUser = mine instanceof ObjectNode m ? m : all.putObject(userId);
        byUser.put(JsonSigning.ED25519_PREFIX + deviceId, signature);
        return copy;
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
        return ed25519Key;
    }

    /**
     * A copy of {@code object} signed by this device ({@code signatures[userId]["ed25519:" + deviceId]}), over
     * its canonical JSON without {@code signatures} and {@code unsigned}; other signatures are kept.
     *
     * @param objectJson the object to sign, JSON text
     * @return the signed copy, JSON text
     * @throws IllegalArgumentException when {@code objectJson} is not a JSON object
     */
    public String sign(String objectJson) {
        ClientJson.argument(objectJson, "objectJson");
        return signer.sign(objectJson);
    }

    /**
     * The device keys object, self-signed, as {@code /keys/upload} publishes it.
     *
     * @return the signed device keys, JSON text
     */
    public String deviceKeys() {
        ObjectNode keys = ClientJson.MAPPER.createObjectNode();
        keys.put("user_id", userId);
        keys.put("device_id", deviceId);
        var algorithms = keys.putArray("algorithms");
        for (String a : ALGORITHMS) algorithms.add(a);
        ObjectNode k = keys.putObject("keys");
        k.put("curve25519:" + deviceId, curve25519Key);
        k.put(JsonSigning.ED25519_PREFIX + deviceId, ed25519Key());
        return sign(keys.toString());
    }

    /**
     * Publishes the device keys ({@code POST /keys/upload}), so that signatures by this device can be checked
     * by others and the self-signing key can sign it.
     *
     * @param client the client logged in as this device
     */
    public void uploadDeviceKeys(HomeserverClient client) {
        ObjectNode body = ClientJson.MAPPER.createObjectNode();
        body.set("device_keys", ClientJson.tree(deviceKeys()));
        client.post("/_matrix/client/v3/keys/upload", body, JsonNode.class);
    }

    @Override
    public String toString() {
        return "OwnDevice[" + userId + " " + deviceId + "]";
    }
}
