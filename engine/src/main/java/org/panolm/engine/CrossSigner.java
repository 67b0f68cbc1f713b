package org.panolm.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jspecify.annotations.Nullable;
import org.panolm.PanolmException;
import org.panolm.crosssigning.CrossSigningKey;
import org.panolm.crosssigning.CrossSigningPrivateKey;
import org.panolm.crosssigning.DeviceKeys;
import org.panolm.crosssigning.KeyUsage;
import org.panolm.crosssigning.OwnCrossSigning;
import org.panolm.crosssigning.UserCrossSigningKeys;
import org.panolm.encoding.MatrixBase64;
import org.panolm.engine.store.DeviceRecord;
import org.panolm.engine.store.IdentityRecord;
import org.panolm.engine.store.PendingRequest;
import org.panolm.engine.store.StoreTransaction;
import org.panolm.verification.sas.VerifiedKeys;

/**
 * Our cross-signing private keys: made by {@link #bootstrap}, or imported as secrets and checked against the
 * public keys the server published; and the signatures a finished verification earns (our other device signed
 * with the self-signing key, another user's master key with the user-signing key), queued as
 * {@code keys/signatures/upload}. The seeds live in the store's sealed secrets under their secret-storage names,
 * so our own verified devices that ask for them get them; they are in memory only while signing.
 */
final class CrossSigner {
    /** An Ed25519 seed's length: what secret storage and {@code m.secret.send} carry for a cross-signing key. */
    private static final int SEED_LENGTH = 32;

    private final EngineCore core;
    private final List<SignatureUploadFailure> failures = new ArrayList<>();
    /** The signing-keys upload handed out and not reported sent (its auth dict is never stored). */
    private @Nullable String signingUploadInFlight;

    CrossSigner(EngineCore core) {
        this.core = core;
    }

    /** The secret name a key's seed is kept under ({@code m.cross_signing.master}, ...). */
    static String secretName(KeyUsage usage) {
        return "m.cross_signing." + usage.wireName();
    }

    /** The role a secret name stands for, or empty when it is not a cross-signing key's name. */
    static Optional<KeyUsage> usageOfSecret(String name) {
        return name.startsWith("m.cross_signing.") ? KeyUsage.fromWireName(name.substring("m.cross_signing.".length()))
                : Optional.empty();
    }

    /**
     * Queues our device keys' upload (if due), then one {@code keys/device_signing/upload} with {@code auth}, then
     * our device signed by the self-signing key. Keys already held are reused (a retry with new auth after the
     * server asked for it); otherwise three new ones are made and stored before anything is handed out.
     */
    void bootstrap(StoreTransaction tx, AccountKeys accountKeys, String auth) {
        accountKeys.queueUpload(tx); // the server must know our device before it takes a signature of it
        try (OwnCrossSigning keys = heldOrNew(tx)) {
            UserCrossSigningKeys pub = keys.publicKeys();
            if (signingUploadInFlight != null) core.queue.remove(signingUploadInFlight);
            signingUploadInFlight = EngineCore.newId();
            core.queue.put(signingUploadInFlight, new OutgoingRequest(signingUploadInFlight,
                    new SigningKeysUploadRequest(pub.master().json(), pub.selfSigning().json(), pub.userSigning().json(), auth)));
            // Known (and trusted: we made it) before the server echoes it, so trust is right at once.
            tx.putIdentity(new IdentityRecord(core.userId, pub.master().json(),
                    pub.selfSigning().json(), pub.userSigning().json(), true));
            ObjectNode signed = (ObjectNode) EngineJson.parse(
                    keys.signDevice(EngineJson.write(accountKeys.deviceKeys())), "our signed device");
            signed.remove("unsigned");
            queueSignatures(tx, SignaturesUploadRequest.of(core.userId, core.deviceId, EngineJson.write(signed)));
        }
    }

    private OwnCrossSigning heldOrNew(StoreTransaction tx) {
        Optional<String> m = Secrets.get(tx, secretName(KeyUsage.MASTER));
        Optional<String> s = Secrets.get(tx, secretName(KeyUsage.SELF_SIGNING));
        Optional<String> u = Secrets.get(tx, secretName(KeyUsage.USER_SIGNING));
        if (m.isPresent() && s.isPresent() && u.isPresent()) {
            byte[][] seeds = {seed(KeyUsage.MASTER, m.get()), seed(KeyUsage.SELF_SIGNING, s.get()), seed(KeyUsage.USER_SIGNING, u.get())};
            try {
                return OwnCrossSigning.fromSeeds(core.userId, seeds[0], seeds[1], seeds[2]);
            } finally {
                for (byte[] b : seeds) java.util.Arrays.fill(b, (byte) 0);
            }
        }
        if (m.isPresent() || s.isPresent() || u.isPresent()) {
            // Some keys came as secrets: new ones would silently replace the identity they belong to.
            throw new EngineException("this device holds only some of the cross-signing keys; request the others "
                    + "(m.cross_signing.master, .self_signing, .user_signing) rather than bootstrapping a new identity");
        }
        OwnCrossSigning fresh = OwnCrossSigning.generate(core.userId);
        Secrets.store(tx, secretName(KeyUsage.MASTER), fresh.master().exportSeedBase64());
        Secrets.store(tx, secretName(KeyUsage.SELF_SIGNING), fresh.selfSigning().exportSeedBase64());
        Secrets.store(tx, secretName(KeyUsage.USER_SIGNING), fresh.userSigning().exportSeedBase64());
        return fresh;
    }

    private static byte[] seed(KeyUsage usage, String base64) {
        return MatrixBase64.decode(base64, SEED_LENGTH, secretName(usage));
    }

    /**
     * Checks a cross-signing private key received as a secret (or given by the caller) against the public key
     * our user published: null when it matches (a matching master key makes our identity trusted), else why not.
     * A key that does not match is never stored or used.
     */
    @Nullable String checkImport(StoreTransaction tx, KeyUsage usage, String seedBase64) {
        UserCrossSigningKeys published = DeviceTracker.crossSigningKeys(tx, core.userId);
        Optional<CrossSigningKey> expected = published == null ? Optional.empty() : switch (usage) {
            case MASTER -> Optional.of(published.master());
            case SELF_SIGNING -> published.selfSigningKey();
            case USER_SIGNING -> published.userSigningKey();
        };
        if (expected.isEmpty()) {
            return "no published " + usage.wireName() + " key of ours to check " + secretName(usage) + " against";
        }
        try (CrossSigningPrivateKey key = CrossSigningPrivateKey.fromBase64Seed(core.userId, usage, seedBase64)) {
            if (!key.publicKey().equals(expected.get().publicKey())) {
                return secretName(usage) + " does not match the published " + usage.wireName() + " key "
                        + expected.get().publicKey();
            }
        } catch (PanolmException e) {
            return secretName(usage) + " is not a 32-byte Ed25519 seed";
        }
        if (usage == KeyUsage.MASTER) markMasterVerified(tx, core.userId);
        return null;
    }

    /** Our master public key when our identity is trusted here (so our SAS MACs cover it), else null. */
    @Nullable String trustedOwnMasterKey(StoreTransaction tx) {
        Optional<IdentityRecord> id = tx.identity(core.userId);
        UserCrossSigningKeys keys = DeviceTracker.crossSigningKeys(tx, core.userId);
        return id.isPresent() && id.get().masterKeyVerified() && keys != null ? keys.master().publicKey() : null;
    }

    /**
     * A verification ended in {@code done} with these keys proved (by SAS MACs or a QR code): our other device, when
     * its key is among them ({@code deviceProved}), is signed with the self-signing key; another user's master key, if the MACs covered the one the server lists, is marked
     * verified and signed with the user-signing key. Our signature is merged into the stored copy at once and
     * queued for upload.
     */
    boolean afterVerification(StoreTransaction tx, String user, String deviceId, VerifiedKeys proved,
                              boolean deviceProved) {
        UserCrossSigningKeys theirs = DeviceTracker.crossSigningKeys(tx, user);
        boolean masterProved = theirs != null
                && theirs.master().publicKey().equals(proved.keys().get(theirs.master().keyId()));
        if (user.equals(core.userId)) {
            if (masterProved) markMasterVerified(tx, user);
            if (deviceProved) signOwnDevice(tx, deviceId); // a QR code may prove the master key alone
        } else if (masterProved) {
            markMasterVerified(tx, user);
            signUser(tx, user, theirs.master());
        }
        return masterProved;
    }

    private void signOwnDevice(StoreTransaction tx, String deviceId) {
        DeviceRecord record = tx.devices(core.userId).stream()
                .filter(d -> d.deviceId().equals(deviceId) && !d.deleted()).findFirst().orElse(null);
        if (record == null) return;
        try (CrossSigningPrivateKey ssk = usable(tx, KeyUsage.SELF_SIGNING)) {
            if (ssk == null) return;
            DeviceKeys device = DeviceKeys.fromJson(record.deviceKeys());
            if (!device.isSelfSigned()) return; // we never vouch for keys the device did not claim
            ObjectNode signed = (ObjectNode) EngineJson.parse(ssk.sign(device.json()), "a signed device");
            signed.remove("unsigned");
            tx.putDevice(new DeviceRecord(core.userId, deviceId, EngineJson.write(signed), false));
            queueSignatures(tx, SignaturesUploadRequest.of(core.userId, deviceId, EngineJson.write(signed)));
        }
    }

    private void signUser(StoreTransaction tx, String user, CrossSigningKey master) {
        try (CrossSigningPrivateKey usk = usable(tx, KeyUsage.USER_SIGNING)) {
            if (usk == null) return;
            ObjectNode signed = (ObjectNode) EngineJson.parse(usk.sign(master.json()), "a signed master key");
            IdentityRecord id = tx.identity(user).orElseThrow();
            tx.putIdentity(new IdentityRecord(user, EngineJson.write(signed), id.selfSigningKey(), id.userSigningKey(),
                    id.masterKeyVerified()));
            queueSignatures(tx, SignaturesUploadRequest.of(user, master.publicKey(), EngineJson.write(signed)));
        }
    }

    /**
     * Our private key of this role, only when it derives the public key our user publishes now (another device may
     * have reset the identity since it was stored); null when we hold none that matches. The caller closes it.
     */
    private @Nullable CrossSigningPrivateKey usable(StoreTransaction tx, KeyUsage usage) {
        Optional<String> seed = Secrets.get(tx, secretName(usage));
        UserCrossSigningKeys published = DeviceTracker.crossSigningKeys(tx, core.userId);
        if (seed.isEmpty() || published == null) return null;
        Optional<CrossSigningKey> expected = usage == KeyUsage.SELF_SIGNING ? published.selfSigningKey()
                : published.userSigningKey();
        CrossSigningPrivateKey key = CrossSigningPrivateKey.fromBase64Seed(core.userId, usage, seed.get());
        if (expected.isPresent() && expected.get().publicKey().equals(key.publicKey())) return key;
        key.close();
        return null;
    }

    private static void markMasterVerified(StoreTransaction tx, String user) {
        tx.identity(user).ifPresent(id -> tx.putIdentity(new IdentityRecord(id.userId(), id.masterKey(),
                id.selfSigningKey(), id.userSigningKey(), true)));
    }

    /** Stored before it is handed out: a verification's signatures survive a restart until reported sent. */
    private void queueSignatures(StoreTransaction tx, SignaturesUploadRequest body) {
        String id = EngineCore.newId();
        tx.putPendingRequest(new PendingRequest(id, RequestType.SIGNATURES_UPLOAD.name(), EngineJson.body(body)));
        core.queue.put(id, new OutgoingRequest(id, body));
    }

    /** A stored signatures upload, as {@link #queueSignatures} wrote it. */
    static SignaturesUploadRequest readStored(PendingRequest stored) {
        if (!RequestType.SIGNATURES_UPLOAD.name().equals(stored.type())) {
            throw new EngineException("a stored request of type " + stored.type() + " is not one the engine keeps");
        }
        JsonNode o = EngineJson.parse(stored.body(), "a stored signatures upload");
        Map<String, Map<String, String>> byUser = new LinkedHashMap<>();
        for (var user : o.properties()) {
            Map<String, String> keys = new LinkedHashMap<>();
            for (var key : user.getValue().properties()) keys.put(key.getKey(), key.getValue().toString());
            byUser.put(user.getKey(), keys);
        }
        return new SignaturesUploadRequest(byUser);
    }

    /** The server took our signing keys: our user is queried again to see them as others will. */
    void handleSigningKeysUploaded(StoreTransaction tx, String requestId) {
        if (requestId.equals(signingUploadInFlight)) signingUploadInFlight = null;
        tx.putTrackedUser(core.userId, true);
    }

    /**
     * The server answered a signatures upload: the signatures it refused are kept as failures; the users whose
     * keys were signed are queried again, so what we trust follows what the server holds.
     */
    void handleSignaturesUploaded(StoreTransaction tx, String requestId, SignaturesUploadRequest sent, JsonNode response) {
        JsonNode refused = response.get("failures");
        if (refused != null && !refused.isObject()) {
            throw new EngineException("the keys/signatures/upload response's failures is not an object");
        }
        if (refused != null) {
            for (var user : refused.properties()) {
                for (var key : user.getValue().properties()) {
                    failures.add(new SignatureUploadFailure(user.getKey(), key.getKey(),
                            EngineJson.text(key.getValue(), "errcode"), EngineJson.text(key.getValue(), "error")));
                }
            }
        }
        tx.removePendingRequest(requestId);
        for (String user : sent.signedKeys().keySet()) tx.putTrackedUser(user, true);
    }

    List<SignatureUploadFailure> failures() {
        return List.copyOf(failures);
    }
}
