package org.panolm.backup;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import org.jspecify.annotations.Nullable;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.json.SignedTree;
import org.panolm.json.JsonSigning;
import org.panolm.subtle.Ed25519;
import org.panolm.internal.SafeJson;

/**
 * Signs a backup version's {@code auth_data} and checks its signatures (docs/formats.md §2.6, §8.2). A client
 * uploads keys only to a backup it trusts: one whose {@code auth_data} carries a valid signature by the
 * user's cross-signing master key or by one of the user's verified devices (or whose private key it holds).
 */
public final class AuthDataSignatures {
    private AuthDataSignatures() {}

    /** Who vouched for a backup. */
    public enum Signer {
        /** The user's cross-signing master key. */
        MASTER_KEY,
        /** One of the user's verified devices. */
        DEVICE
    }

    /**
     * The signature that made a backup trusted.
     *
     * @param signer who signed
     * @param keyId the signing key's id ({@code ed25519:...})
     */
    public record Trust(Signer signer, String keyId) {}

    /**
     * {@code authData} with a signature by the device key {@code ed25519:<deviceId>} added.
     *
     * @param authData the auth data
     * @param userId our user id
     * @param deviceId our device id
     * @param deviceSeed the device's Ed25519 seed
     * @return the signed copy
     */
    public static BackupAuthData signWithDevice(BackupAuthData authData, String userId, String deviceId,
                                                byte[] deviceSeed) {
        return fromNode(SignedTree.sign(toNode(authData), userId, deviceId, deviceSeed));
    }

    /**
     * {@code authData} with a signature by the master key (key id {@code ed25519:<master public key>}) added.
     *
     * @param authData the auth data
     * @param userId our user id
     * @param masterSeed the master key's Ed25519 seed
     * @return the signed copy
     */
    public static BackupAuthData signWithMasterKey(BackupAuthData authData, String userId, byte[] masterSeed) {
        String keyId = MatrixBase64.encode(Ed25519.publicKey(masterSeed));
        return fromNode(SignedTree.sign(toNode(authData), userId, keyId, masterSeed));
    }

    /**
     * Throws {@code BAD_SIGNATURE} unless the device {@code deviceId} with this Ed25519 key signed it.
     *
     * @param authData the auth data
     * @param userId the user who owns the device
     * @param deviceId the device id
     * @param deviceKey the device's Ed25519 public key
     */
    public static void verifyDevice(BackupAuthData authData, String userId, String deviceId, byte[] deviceKey) {
        SignedTree.verify(toNode(authData), userId, deviceId, deviceKey);
    }

    /**
     * Throws {@code BAD_SIGNATURE} unless the cross-signing master key {@code masterKey} signed it.
     *
     * @param authData the auth data
     * @param userId the user who owns the master key
     * @param masterKey the master key's Ed25519 public key
     */
    public static void verifyMasterKey(BackupAuthData authData, String userId, byte[] masterKey) {
        SignedTree.verify(toNode(authData), userId, MatrixBase64.encode(masterKey), masterKey);
    }

    /**
     * Decides whether to trust a backup: a valid master-key signature, else a valid signature by one of the
     * given verified devices (device id → Ed25519 key). {@code masterKey} may be null when the user has no
     * cross-signing identity.
     *
     * @param authData the auth data
     * @param userId our user id
     * @param masterKey our master key's Ed25519 public key, or null
     * @param verifiedDevices our verified devices' Ed25519 keys, by device id
     * @return the signature that makes the backup trusted
     * @throws PanolmException {@code BAD_SIGNATURE} when no trusted key signed it; {@code BAD_KEY} when a
     *         device id equals the master key (device ids and cross-signing keys share a namespace)
     */
    public static Trust trust(BackupAuthData authData, String userId, byte @Nullable [] masterKey, Map<String, byte[]> verifiedDevices) {
        JsonNode node = toNode(authData);
        if (masterKey != null) {
            String masterId = MatrixBase64.encode(masterKey);
            if (verifiedDevices.containsKey(masterId)) {
                throw new PanolmException(Status.BAD_KEY, "a device of " + userId + " has the master key as its id");
            }
            if (SignedTree.isSignedBy(node, userId, masterId, masterKey)) {
                return new Trust(Signer.MASTER_KEY, JsonSigning.ED25519_PREFIX + masterId);
            }
        }
        for (var device : verifiedDevices.entrySet()) {
            if (SignedTree.isSignedBy(node, userId, device.getKey(), device.getValue())) {
                return new Trust(Signer.DEVICE, JsonSigning.ED25519_PREFIX + device.getKey());
            }
        }
        throw new PanolmException(Status.BAD_SIGNATURE, "backup auth_data carries no valid signature by the master key "
                + "or a verified device of " + userId);
    }

    static JsonNode toNode(BackupAuthData authData) {
        if (authData == null) throw new PanolmException(Status.BAD_EVENT, "auth_data is missing");
        return BackupJson.MAPPER.valueToTree(authData);
    }

    static BackupAuthData fromNode(JsonNode node) {
        try {
            return BackupJson.MAPPER.treeToValue(node, BackupAuthData.class);
        } catch (JsonProcessingException e) {
            throw new PanolmException(Status.BAD_EVENT, "auth_data is not of the expected shape (" + SafeJson.describe(e) + ")");
        }
    }
}
