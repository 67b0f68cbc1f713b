package org.panolm.crosssigning;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jspecify.annotations.Nullable;
import org.panolm.PanolmException;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.json.CanonicalTree;
import org.panolm.internal.json.SignedTree;
import org.panolm.json.JsonSigning;
import org.panolm.subtle.X25519;

/**
 * Decides whether to trust a backup version's {@code auth_data} (docs/formats.md §2.6): it must carry a valid
 * signature by the user's master key, if this device trusts that key, or by one of the user's devices this
 * device considers verified (verified locally, or cross-signed by the self-signing key under a trusted master
 * key). Deriving {@code public_key} from a private key got from a trusted source is the other way to trust a
 * backup; the caller handles that case.
 */
public final class BackupAuthDataTrust {
    private BackupAuthDataTrust() {}

    /**
     * Decides whether to trust a backup version, and says why for each signature it carries.
     *
     * @param authData the {@code auth_data} object of the backup version, as JSON text
     * @param userId our user id
     * @param ownKeys the user's cross-signing keys (null when the user has none)
     * @param masterKeyTrusted whether this device trusts {@code ownKeys.master()} (self-verified, or holds its private key)
     * @param ownDevices the user's devices by device id, as {@code /keys/query} returned them
     * @param locallyVerifiedDevices device ids this device verified directly (e.g. by SAS)
     * @return the decision and its reasons
     */
    public static BackupTrust check(String authData, String userId, @Nullable UserCrossSigningKeys ownKeys,
            boolean masterKeyTrusted, Map<String, DeviceKeys> ownDevices, Set<String> locallyVerifiedDevices) {
        List<String> findings = new ArrayList<>();
        List<String> trustedBy = new ArrayList<>();
        JsonNode parsed;
        try {
            parsed = CanonicalTree.parse(authData);
        } catch (PanolmException e) {
            return new BackupTrust(false, trustedBy, List.of("auth_data is not valid JSON: " + e.detail().reason()));
        }
        if (!(parsed instanceof ObjectNode o)) {
            return new BackupTrust(false, trustedBy, List.of("auth_data is not a JSON object"));
        }
        JsonNode pk = o.get("public_key");
        if (pk == null || !pk.isTextual()) {
            return new BackupTrust(false, trustedBy, List.of("auth_data.public_key is missing"));
        }
        try {
            MatrixBase64.decode(pk.textValue(), X25519.KEY_LENGTH, "auth_data.public_key");
        } catch (PanolmException e) {
            return new BackupTrust(false, trustedBy, List.of("auth_data.public_key is not a 32-byte base64 key"));
        }
        JsonNode byUser = o.path(JsonSigning.SIGNATURES).path(userId);
        if (!byUser.isObject() || byUser.isEmpty()) {
            return new BackupTrust(false, trustedBy, List.of("auth_data has no signatures by " + userId));
        }
        for (var e : byUser.properties()) {
            String keyId = e.getKey();
            if (!keyId.startsWith(JsonSigning.ED25519_PREFIX)) {
                findings.add(keyId + ": not an Ed25519 signature, ignored");
                continue;
            }
            String id = keyId.substring(JsonSigning.ED25519_PREFIX.length());
            if (ownKeys != null && id.equals(ownKeys.master().publicKey())) {
                if (!SignedTree.isSignedBy(o, userId, id, ownKeys.master().publicKeyBytes())) {
                    findings.add(keyId + ": the master key's signature does not verify");
                } else if (!masterKeyTrusted) {
                    findings.add(keyId + ": valid signature by the master key, which this device does not trust");
                } else {
                    findings.add(keyId + ": valid signature by the trusted master key");
                    trustedBy.add(keyId);
                }
                continue;
            }
            DeviceKeys device = ownDevices.get(id);
            if (device == null || !device.userId().equals(userId) || !device.deviceId().equals(id)) {
                findings.add(keyId + ": no such device or key of " + userId + ", ignored");
                continue;
            }
            if (!SignedTree.isSignedBy(o, userId, id, MatrixBase64.decode(device.ed25519Key(), "device key"))) {
                findings.add(keyId + ": the device's signature does not verify");
                continue;
            }
            boolean crossSigned = ownKeys != null && masterKeyTrusted && CrossSigningChains.isDeviceCrossSigned(device, ownKeys);
            if (locallyVerifiedDevices.contains(id) || crossSigned) {
                findings.add(keyId + ": valid signature by a verified device");
                trustedBy.add(keyId);
            } else {
                findings.add(keyId + ": valid signature by device " + id + ", which is not verified");
            }
        }
        return new BackupTrust(!trustedBy.isEmpty(), trustedBy, findings);
    }
}
