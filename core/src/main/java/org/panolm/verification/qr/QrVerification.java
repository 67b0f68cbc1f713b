package org.panolm.verification.qr;

import java.util.Arrays;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.PanolmException;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.json.CanonicalTree;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.verification.CancelCode;
import org.panolm.verification.OwnIdentity;
import org.panolm.verification.PeerKeys;
import org.panolm.verification.VerificationEvents;
import org.panolm.verification.sas.VerifiedKeys;

/**
 * QR-code verification (docs/formats.md §9.2): the code a device shows in each mode, the scanner's check of a
 * scanned code against what it believes, and the displayer's check of the {@code m.reciprocate.v1} reply.
 * Keys are unpadded base64 at this API, as in {@link OwnIdentity} and {@link PeerKeys}.
 */
public final class QrVerification {
    private QrVerification() {}

    private static final String ED25519 = "ed25519:";

    /**
     * Mode 0x00: shown to another user; needs our master key and our belief of theirs.
     *
     * @param flowId the flow id
     * @param own our identity
     * @param other our beliefs about the other user
     * @return the code to show
     */
    public static QrCodeData showToOtherUser(String flowId, OwnIdentity own, PeerKeys other) {
        return new QrCodeData(QrVerificationMode.VERIFYING_ANOTHER_USER, flowId, key(own.masterKey(), "own master key"),
                key(other.masterKey(), "the other user's master key"), SecureRandomBytes.next(QrCodeData.DEFAULT_SECRET_LENGTH));
    }

    /**
     * Mode 0x01: shown by a device that trusts our master key to our device {@code otherDeviceId}.
     *
     * @param flowId the flow id
     * @param own our identity
     * @param ownDevices our beliefs about our own devices
     * @param otherDeviceId the device that will scan
     * @return the code to show
     */
    public static QrCodeData showSelfTrusted(String flowId, OwnIdentity own, PeerKeys ownDevices, String otherDeviceId) {
        return new QrCodeData(QrVerificationMode.SELF_VERIFYING_MASTER_KEY_TRUSTED, flowId,
                key(own.masterKey(), "own master key"),
                key(ownDevices.deviceKey(otherDeviceId).orElse(null), "the key of device " + otherDeviceId),
                SecureRandomBytes.next(QrCodeData.DEFAULT_SECRET_LENGTH));
    }

    /**
     * Mode 0x02: shown by a device that does not trust the master key yet ({@code masterKeyBelief} from the server).
     *
     * @param flowId the flow id
     * @param own our identity
     * @param masterKeyBelief the master key the server lists for us
     * @return the code to show
     */
    public static QrCodeData showSelfUntrusted(String flowId, OwnIdentity own, String masterKeyBelief) {
        return new QrCodeData(QrVerificationMode.SELF_VERIFYING_MASTER_KEY_UNTRUSTED, flowId,
                key(own.deviceEd25519Key(), "own device key"), key(masterKeyBelief, "the master key"),
                SecureRandomBytes.next(QrCodeData.DEFAULT_SECRET_LENGTH));
    }

    /**
     * The scanner's check. {@code other} holds our beliefs about the showing side (the other user, or our own
     * user for self-verification); {@code otherDeviceId} is the showing device; {@code masterKeyTrusted} says
     * whether this device already trusts our master key (needed to vouch for a device in mode 0x02).
     *
     * @param scanned the code scanned
     * @param flowId the flow id
     * @param own our identity
     * @param other our beliefs about the showing side
     * @param otherDeviceId the showing device
     * @param masterKeyTrusted whether we trust our own master key
     * @return the keys proven and the reply to send, or why not
     */
    public static QrOutcome checkScanned(QrCodeData scanned, String flowId, OwnIdentity own, PeerKeys other,
            String otherDeviceId, boolean masterKeyTrusted) {
        if (!scanned.flowId().equals(flowId)) {
            return new QrOutcome.Rejected(CancelCode.UNKNOWN_TRANSACTION, "the code is for another flow");
        }
        boolean self = own.userId().equals(other.userId());
        String key1 = MatrixBase64.encode(scanned.key1());
        String key2 = MatrixBase64.encode(scanned.key2());
        Map<String, String> verified;
        switch (scanned.mode()) {
            case VERIFYING_ANOTHER_USER -> {
                if (self) {
                    return new QrOutcome.Rejected(CancelCode.UNKNOWN_METHOD, "mode 0 is for verifying another user");
                }
                if (!key1.equals(other.masterKey())) {
                    return mismatch("the code's master key is not the one we have for " + other.userId());
                }
                if (!key2.equals(own.masterKey())) {
                    return mismatch("the code has another master key for us than ours");
                }
                verified = Map.of(ED25519 + key1, key1);
            }
            case SELF_VERIFYING_MASTER_KEY_TRUSTED -> {
                if (!self) {
                    return new QrOutcome.Rejected(CancelCode.UNKNOWN_METHOD, "mode 1 is for self-verification");
                }
                // A device that does not trust our master key yet (the usual scanner of this mode: a new one)
                // compares with the master key the server lists for us, and learns to trust it from the code.
                String ourMaster = own.masterKey() != null ? own.masterKey() : other.masterKey();
                if (!key1.equals(ourMaster)) {
                    return mismatch("the code's master key is not ours");
                }
                if (!key2.equals(own.deviceEd25519Key())) {
                    return mismatch("the code has another key for this device than ours");
                }
                verified = Map.of(ED25519 + key1, key1);
            }
            case SELF_VERIFYING_MASTER_KEY_UNTRUSTED -> {
                if (!self) {
                    return new QrOutcome.Rejected(CancelCode.UNKNOWN_METHOD, "mode 2 is for self-verification");
                }
                if (!masterKeyTrusted) {
                    return new QrOutcome.Rejected(CancelCode.UNKNOWN_METHOD,
                            "this device does not trust the master key, so it cannot vouch for another device");
                }
                if (!key1.equals(other.deviceKey(otherDeviceId).orElse(null))) {
                    return mismatch("the code's device key is not the one we have for " + otherDeviceId);
                }
                if (!key2.equals(own.masterKey())) {
                    return mismatch("the code's master key is not ours");
                }
                verified = Map.of(ED25519 + otherDeviceId, key1);
            }
            default -> throw new IllegalStateException("unreachable mode " + scanned.mode());
        }
        ObjectNode start = JsonNodeFactory.instance.objectNode();
        start.put("from_device", own.deviceId());
        start.put("method", VerificationEvents.RECIPROCATE_V1);
        byte[] secret = scanned.sharedSecret();
        start.put("secret", MatrixBase64.encode(secret));
        Arrays.fill(secret, (byte) 0);
        start.put("transaction_id", flowId);
        return new QrOutcome.Verified(new VerifiedKeys(other.userId(), verified), start.toString());
    }

    /**
     * The displayer's check of the scanner's {@code m.key.verification.start} ({@code m.reciprocate.v1}): the
     * secret must be the one in the shown code (constant-time). The key proven is the shown code's key2 — what
     * we believed the scanning side's key was — under its key id.
     *
     * @param shown the code we showed
     * @param startContent the scanner's start content, as JSON text
     * @param other our beliefs about the scanning side
     * @param otherDeviceId the scanning device
     * @return the keys proven, or why not
     */
    public static QrOutcome checkReciprocate(QrCodeData shown, String startContent, PeerKeys other,
            String otherDeviceId) {
        JsonNode parsed;
        try {
            parsed = CanonicalTree.parse(startContent);
        } catch (PanolmException e) {
            return new QrOutcome.Rejected(CancelCode.INVALID_MESSAGE, "start content is not valid JSON");
        }
        if (!(parsed instanceof ObjectNode c)) {
            return new QrOutcome.Rejected(CancelCode.INVALID_MESSAGE, "start content is not an object");
        }
        JsonNode method = c.get("method");
        if (method == null || !VerificationEvents.RECIPROCATE_V1.equals(method.textValue())) {
            return new QrOutcome.Rejected(CancelCode.UNKNOWN_METHOD, "start.method is not " + VerificationEvents.RECIPROCATE_V1);
        }
        JsonNode txn = c.get("transaction_id");
        if (txn == null || !shown.flowId().equals(txn.textValue())) {
            return new QrOutcome.Rejected(CancelCode.UNKNOWN_TRANSACTION, "start is for another flow");
        }
        JsonNode secretNode = c.get("secret");
        if (secretNode == null || !secretNode.isTextual()) {
            return new QrOutcome.Rejected(CancelCode.INVALID_MESSAGE, "start.secret is missing or not a string");
        }
        byte[] secret;
        try {
            secret = MatrixBase64.decode(secretNode.textValue(), "start.secret");
        } catch (PanolmException e) {
            return new QrOutcome.Rejected(CancelCode.INVALID_MESSAGE, "start.secret is not base64");
        }
        boolean ok = shown.secretMatches(secret);
        Arrays.fill(secret, (byte) 0);
        if (!ok) {
            return mismatch("start.secret is not the secret of the shown code");
        }
        String key2 = MatrixBase64.encode(shown.key2());
        String keyId = switch (shown.mode()) {
            case VERIFYING_ANOTHER_USER, SELF_VERIFYING_MASTER_KEY_UNTRUSTED -> ED25519 + key2;
            case SELF_VERIFYING_MASTER_KEY_TRUSTED -> ED25519 + otherDeviceId;
        };
        return new QrOutcome.Verified(new VerifiedKeys(other.userId(), Map.of(keyId, key2)), null);
    }

    private static QrOutcome mismatch(String reason) {
        return new QrOutcome.Rejected(CancelCode.KEY_MISMATCH, reason);
    }

    private static byte[] key(String base64, String what) {
        return MatrixBase64.decode(base64, QrCodeData.KEY_LENGTH, what);
    }
}
