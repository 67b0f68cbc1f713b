package org.panolm.engine;

import org.jspecify.annotations.Nullable;
import org.panolm.internal.json.SignedTree;
import static org.panolm.engine.EngineCore.MEGOLM;
import static org.panolm.engine.EngineCore.OLM;
import static org.panolm.engine.EngineCore.SIGNED_CURVE25519;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.encoding.MatrixBase64;
import org.panolm.engine.store.StoreTransaction;
import org.panolm.json.JsonSigning;
import org.panolm.olm.OneTimeKey;

/** Our device keys, one-time keys and fallback key: what to upload, and what the server said it holds. */
final class AccountKeys {
    private final EngineCore core;
    private @Nullable String uploadInFlight;

    AccountKeys(EngineCore core) {
        this.core = core;
    }

    /** Queues a keys/upload when the account needs one and none is in flight. */
    void queueUpload(StoreTransaction tx) {
        if (uploadInFlight != null) return;
        KeysUploadRequest upload = keysUpload(tx);
        if (upload != null) {
            uploadInFlight = EngineCore.newId();
            core.queue.put(uploadInFlight, new OutgoingRequest(uploadInFlight, upload));
        }
    }

    void handleUploadResponse(StoreTransaction tx, JsonNode response) {
        // Checked before the account changes: a refused response leaves memory and store as they were.
        JsonNode counts = response.get("one_time_key_counts");
        if (counts == null || !counts.isObject()) {
            throw new EngineException("the keys/upload response has no one_time_key_counts object");
        }
        core.account.markKeysAsPublished();
        core.saveAccount(tx);
        tx.putValue("device_keys_uploaded", new byte[] {1});
        putCount(tx, counts.path(SIGNED_CURVE25519).asInt(0));
        uploadInFlight = null;
    }

    /** Takes in a sync's one-time-key counts and unused fallback key types. */
    void receiveCounts(StoreTransaction tx, SyncChanges changes) {
        if (!changes.oneTimeKeyCounts().isEmpty() || changes.toDeviceEvents().isEmpty()) {
            Integer count = changes.oneTimeKeyCounts().get(SIGNED_CURVE25519);
            if (count != null || !changes.oneTimeKeyCounts().isEmpty()) putCount(tx, count == null ? 0 : count);
        }
        Set<String> unusedFallback = changes.unusedFallbackKeyTypes();
        if (unusedFallback != null && !unusedFallback.contains(SIGNED_CURVE25519)
                && tx.value("device_keys_uploaded").isPresent() && core.account.unpublishedFallbackKey().isEmpty()) {
            // The server handed our fallback key out: make a new one (the old one stays usable a while).
            core.account.generateFallbackKey();
            core.saveAccount(tx);
        }
    }

    private static void putCount(StoreTransaction tx, int count) {
        tx.putValue("one_time_key_count", Integer.toString(count).getBytes(StandardCharsets.US_ASCII));
    }

    private static int storedCount(StoreTransaction tx) {
        return tx.value("one_time_key_count").map(v -> Integer.parseInt(new String(v, StandardCharsets.US_ASCII)))
                .orElse(0);
    }

    /** The upload the account needs now, or null: device keys once, one-time keys up to half the account's maximum. */
    private @Nullable KeysUploadRequest keysUpload(StoreTransaction tx) {
        boolean deviceKeysUploaded = tx.value("device_keys_uploaded").isPresent();
        int target = core.account.maxNumberOfOneTimeKeys() / 2;
        int unpublished = core.account.oneTimeKeys().size();
        int missing = target - storedCount(tx) - unpublished;
        boolean changed = false;
        if (missing > 0) {
            core.account.generateOneTimeKeys(missing);
            changed = true;
        }
        if (core.account.fallbackKey().isEmpty() && core.account.unpublishedFallbackKey().isEmpty()) {
            core.account.generateFallbackKey();
            changed = true;
        }
        if (changed) core.saveAccount(tx);
        List<OneTimeKey> otks = core.account.oneTimeKeys();
        Optional<OneTimeKey> fallback = core.account.unpublishedFallbackKey();
        if (deviceKeysUploaded && otks.isEmpty() && fallback.isEmpty()) return null;
        Map<String, String> oneTime = new LinkedHashMap<>();
        for (OneTimeKey k : otks) oneTime.put(SIGNED_CURVE25519 + ":" + k.keyId(), EngineJson.write(signedKey(k, false)));
        Map<String, String> fallbackKeys = fallback.map(k -> Map.of(SIGNED_CURVE25519 + ":" + k.keyId(),
                EngineJson.write(signedKey(k, true)))).orElse(null);
        return new KeysUploadRequest(deviceKeysUploaded ? null : EngineJson.write(deviceKeys()), oneTime.isEmpty() ? null : oneTime,
                fallbackKeys);
    }

    private ObjectNode signedKey(OneTimeKey key, boolean fallback) {
        ObjectNode o = EngineJson.object().put("key", key.publicKeyBase64());
        if (fallback) o.put("fallback", true);
        return core.sign(o);
    }

    /** Our device keys, signed, as keys/upload and keys/query carry them. */
    ObjectNode deviceKeys() {
        ObjectNode keys = EngineJson.object();
        keys.put("user_id", core.userId).put("device_id", core.deviceId);
        keys.putArray("algorithms").add(OLM).add(MEGOLM);
        keys.putObject("keys").put("curve25519:" + core.deviceId, core.identityKeys.curve25519Base64())
                .put("ed25519:" + core.deviceId, core.identityKeys.ed25519Base64());
        return core.sign(keys);
    }

    /** A signed copy of {@code object}; the signatures it already carries are kept. */
    ObjectNode signJson(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        String signature = MatrixBase64.encode(core.account.sign(SignedTree.signedBytes(copy)));
        JsonNode sigs = copy.get(JsonSigning.SIGNATURES);
        ObjectNode all = sigs instanceof ObjectNode s ? s : copy.putObject(JsonSigning.SIGNATURES);
        JsonNode mine = all.get(core.userId);
        ObjectNode byUser = mine instanceof ObjectNode m ? m : all.putObject(core.userId);
        byUser.put(JsonSigning.ED25519_PREFIX + core.deviceId, signature);
        return copy;
    }
}
