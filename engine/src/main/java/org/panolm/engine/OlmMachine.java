package org.panolm.engine;

import org.panolm.internal.json.SignedTree;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.PanolmException;
import org.panolm.crosssigning.DeviceKeys;
import org.panolm.crosssigning.UserCrossSigningKeys;
import org.panolm.encoding.MatrixBase64;
import org.panolm.engine.store.CryptoStore;
import org.panolm.engine.store.DeviceRecord;
import org.panolm.engine.store.IdentityRecord;
import org.panolm.engine.store.OlmSessionRecord;
import org.panolm.engine.store.OutboundGroupSessionRecord;
import org.panolm.engine.store.PendingRequest;
import org.panolm.engine.store.StoreTransaction;
import org.panolm.export.ExportedRoomKey;
import org.panolm.json.JsonSigning;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.megolm.DecryptedMessage;
import org.panolm.megolm.KeyProvenance;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.MegolmOutboundSession;
import org.panolm.megolm.SessionKey;
import org.panolm.olm.Account;
import org.panolm.olm.BatchEncryption;
import org.panolm.olm.Curve25519PublicKey;
import org.panolm.olm.IdentityKeys;
import org.panolm.olm.InboundSession;
import org.panolm.olm.OlmMessage;
import org.panolm.olm.OneTimeKey;
import org.panolm.olm.PayloadTemplate;
import org.panolm.olm.Session;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.trust.DeviceTrust;
import org.panolm.trust.TrustEvaluator;
import org.panolm.trust.UserState;

/**
 * The end-to-end-encryption engine of one device, sans I/O: the caller feeds it what the homeserver said
 * ({@link #receiveSyncChanges}, {@link #markRequestSent}) and sends the requests it asks for
 * ({@link #outgoingRequests()}), with any HTTP client. Every request comes out of that one queue, in the order it
 * must be sent; nothing is handed back from other calls.
 *
 * <p>State lives in a {@link CryptoStore}; each step (a sync, a response, a share) is one store transaction, and a
 * room key or Olm session is stored in the same transaction as the to-device request that depends on it, before
 * that request is handed out. To-device requests not yet reported sent survive a restart; the other requests are
 * made again from the stored state.
 *
 * <p>Thread-safe: the public methods are synchronized.
 */
public final class OlmMachine implements AutoCloseable {
    static final String OLM = "m.olm.v1.curve25519-aes-sha2";
    static final String MEGOLM = "m.megolm.v1.aes-sha2";
    private static final String SIGNED_CURVE25519 = "signed_curve25519";
    /** The store value holding the last sync's {@code next_batch}. */
    private static final String SYNC_TOKEN = "sync_token";
    /** Unwedging (a new session and an m.dummy) at most this often per device, as matrix-sdk-crypto does. */
    private static final long UNWEDGE_INTERVAL_MS = 3_600_000L;

    private final String userId;
    private final String deviceId;
    private final CryptoStore store;
    private final LongSupplier clock;
    private final byte[] pickleKey;
    private final Account account;
    private final IdentityKeys identityKeys;

    /** Requests handed out and not reported sent, in order. */
    private final LinkedHashMap<String, OutgoingRequest> queue = new LinkedHashMap<>();
    private String uploadInFlight;
    private String queryInFlight;
    private Set<String> queriedUsers = Set.of();
    /** Users whose device lists changed while a query for them was in flight: still outdated after it. */
    private final Set<String> changedDuringQuery = new HashSet<>();
    private String claimInFlight;
    private Set<String> claimedDevices = Set.of();
    /** Devices ({@code user|device}) whose claim returned no key: they get {@code m.no_olm}. */
    private final Set<String> noOlm = new HashSet<>();
    /** Room-key shares waiting for a keys query or claim, by room. */
    private final Map<String, PendingShare> pendingShares = new LinkedHashMap<>();
    /** Devices ({@code user|device}) to send an m.dummy once a session is claimed, to unwedge a broken one. */
    private final Set<String> unwedge = new LinkedHashSet<>();
    private final Map<String, Long> lastUnwedge = new HashMap<>();
    /** Key requests waiting for an Olm session with the requesting device. */
    private final List<JsonNode> unanswered = new ArrayList<>();
    private boolean closed;

    private record PendingShare(Set<String> members, EncryptionSettings settings) {}

    private OlmMachine(String userId, String deviceId, CryptoStore store, LongSupplier clock, byte[] pickleKey,
                       Account account) {
        this.userId = userId;
        this.deviceId = deviceId;
        this.store = store;
        this.clock = clock;
        this.pickleKey = pickleKey;
        this.account = account;
        this.identityKeys = account.identityKeys();
    }

    /**
     * Opens the engine of one device on a store, creating the device's account on first use.
     *
     * @param userId our user id
     * @param deviceId our device id
     * @param store the store (the engine does not close it)
     * @return the engine
     * @throws EngineException when the store belongs to another user or device
     */
    public static OlmMachine open(String userId, String deviceId, CryptoStore store) {
        return open(userId, deviceId, store, System::currentTimeMillis);
    }

    static OlmMachine open(String userId, String deviceId, CryptoStore store, LongSupplier clock) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(store, "store");
        return store.transaction(tx -> {
            String owner = userId + "|" + deviceId;
            Optional<byte[]> stored = tx.value("owner");
            if (stored.isPresent() && !new String(stored.get(), StandardCharsets.UTF_8).equals(owner)) {
                throw new EngineException("the store belongs to another user or device");
            }
            byte[] pickleKey = tx.value("pickle_key").orElseGet(() -> {
                byte[] k = SecureRandomBytes.next(32);
                tx.putValue("pickle_key", k);
                return k;
            });
            Account account;
            Optional<byte[]> pickle = tx.value("account");
            if (pickle.isPresent()) {
                account = Account.fromPickle(new String(pickle.get(), StandardCharsets.US_ASCII), pickleKey);
            } else {
                account = Account.create();
                tx.putValue("owner", owner.getBytes(StandardCharsets.UTF_8));
                tx.putValue("account", account.pickle(pickleKey).getBytes(StandardCharsets.US_ASCII));
            }
            if (!tx.trackedUsers().containsKey(userId)) tx.putTrackedUser(userId, true); // our other devices
            OlmMachine machine = new OlmMachine(userId, deviceId, store, clock, pickleKey, account);
            for (PendingRequest p : tx.pendingRequests()) {
                machine.queue.put(p.id(), new OutgoingRequest(p.id(), StoredToDevice.read(p)));
            }
            return machine;
        });
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
     * Our device id.
     *
     * @return the device id
     */
    public String deviceId() {
        return deviceId;
    }

    /**
     * Our device's identity keys.
     *
     * @return the keys
     */
    public IdentityKeys identityKeys() {
        return identityKeys;
    }

    // --- the queue ----------------------------------------------------------------------------------------------

    /**
     * Every request the engine wants sent and not yet reported sent, in the order to send them: key uploads when
     * the server's one-time-key count is low (or our device keys are not uploaded yet), a keys query when a tracked
     * user's device list is outdated, claims and to-device messages from {@link #shareRoomKey}, and to-device
     * messages that survived a restart. Calling it again returns the same requests until they are reported.
     *
     * @return the requests
     */
    public synchronized List<OutgoingRequest> outgoingRequests() {
        checkOpen();
        store.transaction(tx -> {
            if (uploadInFlight == null) {
                KeysUploadRequest upload = keysUpload(tx);
                if (upload != null) {
                    uploadInFlight = newId();
                    queue.put(uploadInFlight, new OutgoingRequest(uploadInFlight, upload));
                }
            }
            if (queryInFlight == null) {
                Map<String, List<String>> outdated = new LinkedHashMap<>();
                tx.trackedUsers().forEach((user, isOutdated) -> {
                    if (isOutdated) outdated.put(user, List.of());
                });
                if (!outdated.isEmpty()) {
                    queryInFlight = newId();
                    queriedUsers = Set.copyOf(outdated.keySet());
                    changedDuringQuery.clear();
                    queue.put(queryInFlight, new OutgoingRequest(queryInFlight, new KeysQueryRequest(outdated)));
                }
            }
            return null;
        });
        return List.copyOf(queue.values());
    }

    /**
     * Reports that a request was sent and gives the server's response body.
     *
     * @param requestId the request's id
     * @param responseJson the response body (JSON)
     * @throws EngineException for an unknown request id or a malformed response (which field)
     */
    public synchronized void markRequestSent(String requestId, String responseJson) {
        checkOpen();
        OutgoingRequest request = queue.get(requestId);
        if (request == null) throw new EngineException("no outgoing request has the id " + requestId);
        JsonNode response = EngineJson.parse(responseJson, "the response to " + request.type() + " " + requestId);
        store.transaction(tx -> {
            switch (request.type()) {
                case KEYS_UPLOAD -> {
                    // Checked before the account changes: a refused response leaves memory and store as they were.
                    JsonNode counts = response.get("one_time_key_counts");
                    if (counts == null || !counts.isObject()) {
                        throw new EngineException("the keys/upload response has no one_time_key_counts object");
                    }
                    account.markKeysAsPublished();
                    saveAccount(tx);
                    tx.putValue("device_keys_uploaded", new byte[] {1});
                    putCount(tx, counts.path(SIGNED_CURVE25519).asInt(0));
                    uploadInFlight = null;
                }
                case KEYS_QUERY -> {
                    handleKeysQuery(tx, response);
                    queryInFlight = null;
                }
                case KEYS_CLAIM -> {
                    handleKeysClaim(tx, response);
                    claimInFlight = null;
                }
                case TO_DEVICE -> tx.removePendingRequest(requestId);
            }
            queue.remove(requestId);
            if (request.type() == RequestType.KEYS_QUERY || request.type() == RequestType.KEYS_CLAIM) {
                sendUnwedgingDummies(tx);
                resumePendingShares(tx);
                List<JsonNode> retry = List.copyOf(unanswered);
                unanswered.clear();
                if (request.type() == RequestType.KEYS_CLAIM) {
                    for (JsonNode e : retry) {
                        if ("m.secret.request".equals(EngineJson.text(e, "type"))) answerSecretRequest(tx, e);
                        else answerKeyRequest(tx, e);
                    }
                }
            }
            return null;
        });
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private void enqueue(StoreTransaction tx, ToDeviceRequest request) {
        tx.putPendingRequest(StoredToDevice.write(request));
        queue.put(request.txnId(), new OutgoingRequest(request.txnId(), request));
    }

    // --- account and one-time keys ------------------------------------------------------------------------------

    private void saveAccount(StoreTransaction tx) {
        tx.putValue("account", account.pickle(pickleKey).getBytes(StandardCharsets.US_ASCII));
    }

    private static void putCount(StoreTransaction tx, int count) {
        tx.putValue("one_time_key_count", Integer.toString(count).getBytes(StandardCharsets.US_ASCII));
    }

    private static int storedCount(StoreTransaction tx) {
        return tx.value("one_time_key_count").map(v -> Integer.parseInt(new String(v, StandardCharsets.US_ASCII)))
                .orElse(0);
    }

    /** The upload the account needs now, or null: device keys once, one-time keys up to half the account's maximum. */
    private KeysUploadRequest keysUpload(StoreTransaction tx) {
        boolean deviceKeysUploaded = tx.value("device_keys_uploaded").isPresent();
        int target = account.maxNumberOfOneTimeKeys() / 2;
        int unpublished = account.oneTimeKeys().size();
        int missing = target - storedCount(tx) - unpublished;
        boolean changed = false;
        if (missing > 0) {
            account.generateOneTimeKeys(missing);
            changed = true;
        }
        if (account.fallbackKey().isEmpty() && account.unpublishedFallbackKey().isEmpty()) {
            account.generateFallbackKey();
            changed = true;
        }
        if (changed) saveAccount(tx);
        List<OneTimeKey> otks = account.oneTimeKeys();
        Optional<OneTimeKey> fallback = account.unpublishedFallbackKey();
        if (deviceKeysUploaded && otks.isEmpty() && fallback.isEmpty()) return null;
        Map<String, ObjectNode> oneTime = new LinkedHashMap<>();
        for (OneTimeKey k : otks) oneTime.put(SIGNED_CURVE25519 + ":" + k.keyId(), signedKey(k, false));
        Map<String, ObjectNode> fallbackKeys = fallback.map(k -> Map.of(SIGNED_CURVE25519 + ":" + k.keyId(),
                signedKey(k, true))).orElse(null);
        return new KeysUploadRequest(deviceKeysUploaded ? null : deviceKeys(), oneTime.isEmpty() ? null : oneTime,
                fallbackKeys);
    }

    private ObjectNode signedKey(OneTimeKey key, boolean fallback) {
        ObjectNode o = EngineJson.object().put("key", key.publicKeyBase64());
        if (fallback) o.put("fallback", true);
        return sign(o);
    }

    private ObjectNode sign(ObjectNode object) {
        String signature = MatrixBase64.encode(account.sign(SignedTree.signedBytes(object)));
        object.putObject(JsonSigning.SIGNATURES).putObject(userId).put("ed25519:" + deviceId, signature);
        return object;
    }

    /**
     * Our device keys, signed, as {@code keys/upload} and {@code keys/query} carry them.
     *
     * @return the signed device-keys object
     */
    public synchronized ObjectNode deviceKeys() {
        ObjectNode keys = EngineJson.object();
        keys.put("user_id", userId).put("device_id", deviceId);
        keys.putArray("algorithms").add(OLM).add(MEGOLM);
        keys.putObject("keys").put("curve25519:" + deviceId, identityKeys.curve25519Base64())
                .put("ed25519:" + deviceId, identityKeys.ed25519Base64());
        return sign(keys);
    }

    // --- sync ---------------------------------------------------------------------------------------------------

    /**
     * Takes in what a {@code /sync} response said: one-time-key counts, device-list changes and to-device events,
     * in one store transaction.
     *
     * @param changes the sync's changes
     * @return the outcome of each to-device event, in order
     */
    public synchronized List<ToDeviceResult> receiveSyncChanges(SyncChanges changes) {
        checkOpen();
        Objects.requireNonNull(changes, "changes");
        return store.transaction(tx -> {
            if (!changes.oneTimeKeyCounts().isEmpty() || changes.toDeviceEvents().isEmpty()) {
                Integer count = changes.oneTimeKeyCounts().get(SIGNED_CURVE25519);
                if (count != null || !changes.oneTimeKeyCounts().isEmpty()) putCount(tx, count == null ? 0 : count);
            }
            if (changes.unusedFallbackKeyTypes() != null && !changes.unusedFallbackKeyTypes().contains(SIGNED_CURVE25519)
                    && tx.value("device_keys_uploaded").isPresent() && account.unpublishedFallbackKey().isEmpty()) {
                // The server handed our fallback key out: make a new one (the old one stays usable a while).
                account.generateFallbackKey();
                saveAccount(tx);
            }
            Map<String, Boolean> tracked = tx.trackedUsers();
            for (String user : changes.changedUsers()) {
                if (tracked.containsKey(user)) {
                    tx.putTrackedUser(user, true);
                    if (queriedUsers.contains(user)) changedDuringQuery.add(user);
                }
            }
            List<ToDeviceResult> results = new ArrayList<>();
            for (JsonNode event : changes.toDeviceEvents()) {
                try {
                    results.add(toDevice(tx, event));
                } catch (EngineException | PanolmException e) {
                    // One bad event must not cost the rest of the sync: it is reported, the others go on.
                    results.add(new ToDeviceResult.Failed(EngineJson.text(event, "sender"), e.getMessage()));
                }
            }
            sendUnwedgingDummies(tx);
            return results;
        });
    }

    /**
     * As {@link #receiveSyncChanges(SyncChanges)}, and keeps {@code nextBatch} (the response's {@code next_batch})
     * in the same store transaction, so that a sync loop restarting from {@link #syncToken()} never skips a
     * response it did not take in (a response taken in twice is harmless: redelivered to-device messages are
     * recognised).
     *
     * @param changes the sync's changes
     * @param nextBatch the response's {@code next_batch}
     * @return the outcome of each to-device event, in order
     */
    public synchronized List<ToDeviceResult> receiveSyncChanges(SyncChanges changes, String nextBatch) {
        checkOpen();
        Objects.requireNonNull(nextBatch, "nextBatch");
        return store.transaction(tx -> {
            List<ToDeviceResult> results = receiveSyncChanges(changes);
            tx.putValue(SYNC_TOKEN, nextBatch.getBytes(StandardCharsets.UTF_8));
            return results;
        });
    }

    /**
     * The {@code next_batch} of the last sync taken in by {@link #receiveSyncChanges(SyncChanges, String)}: where a
     * sync loop resumes.
     *
     * @return the token, or empty before the first sync
     */
    public synchronized Optional<String> syncToken() {
        checkOpen();
        return store.transaction(tx -> tx.value(SYNC_TOKEN).map(b -> new String(b, StandardCharsets.UTF_8)));
    }

    /**
     * A copy of {@code object} signed by this device's Ed25519 key, over its canonical JSON (without
     * {@code signatures} and {@code unsigned}); signatures it already carries are kept. This is how a client signs
     * what Secure Backup publishes ({@code auth_data}) with the engine's device.
     *
     * @param object the JSON object to sign
     * @return the signed copy
     * @throws IllegalArgumentException when {@code object} is not a JSON object
     */
    public synchronized ObjectNode signJson(JsonNode object) {
        checkOpen();
        if (!(object instanceof ObjectNode o)) throw new IllegalArgumentException("only a JSON object can be signed");
        ObjectNode copy = o.deepCopy();
        String signature = MatrixBase64.encode(account.sign(SignedTree.signedBytes(copy)));
        JsonNode sigs = copy.get(JsonSigning.SIGNATURES);
        ObjectNode all = sigs instanceof ObjectNode s ? s : copy.putObject(JsonSigning.SIGNATURES);
        JsonNode mine = all.get(userId);
        ObjectNode byUser = mine instanceof ObjectNode m ? m : all.putObject(userId);
        byUser.put(JsonSigning.ED25519_PREFIX + deviceId, signature);
        return copy;
    }

    /**
     * The stored copies of one room key (several when copies that do not connect are kept side by side), for a
     * caller that backs new keys up as they arrive.
     *
     * @param roomId the room
     * @param sessionId the Megolm session id
     * @return the copies, empty when the key is not held
     */
    public synchronized List<RoomKeyRecord> roomKeys(String roomId, String sessionId) {
        checkOpen();
        return store.transaction(tx -> tx.roomKeys(roomId, sessionId));
    }

    /**
     * Tracks the devices of these users (the members of our encrypted rooms): a user not tracked yet is queried.
     *
     * @param users the users
     */
    public synchronized void updateTrackedUsers(Collection<String> users) {
        checkOpen();
        store.transaction(tx -> {
            Map<String, Boolean> tracked = tx.trackedUsers();
            for (String u : users) if (!tracked.containsKey(u)) tx.putTrackedUser(u, true);
            return null;
        });
    }

    // --- devices ------------------------------------------------------------------------------------------------

    private void handleKeysQuery(StoreTransaction tx, JsonNode response) {
        JsonNode deviceKeys = response.get("device_keys");
        if (deviceKeys != null && !deviceKeys.isObject()) {
            throw new EngineException("the keys/query response's device_keys is not an object");
        }
        for (String user : queriedUsers) {
            JsonNode devices = deviceKeys == null ? null : deviceKeys.get(user);
            if (devices == null || !devices.isObject()) {
                continue; // a failure for this user's server: stays outdated for the next query
            }
            Map<String, DeviceRecord> known = new HashMap<>();
            for (DeviceRecord d : tx.devices(user)) known.put(d.deviceId(), d);
            Set<String> listed = new HashSet<>();
            for (var entry : devices.properties()) {
                String id = entry.getKey();
                DeviceKeys keys;
                try {
                    keys = DeviceKeys.fromJson(entry.getValue());
                } catch (PanolmException | IllegalArgumentException e) {
                    continue; // a malformed device is left out, as if not listed
                }
                if (!keys.userId().equals(user) || !keys.deviceId().equals(id) || !keys.isSelfSigned()) continue;
                if (user.equals(userId) && id.equals(deviceId)
                        && !identityKeys.ed25519Base64().equals(keys.ed25519Key())) {
                    continue; // the server lists another key for our own device: never believed
                }
                DeviceRecord old = known.get(id);
                if (old != null && !old.deleted()) {
                    DeviceKeys oldKeys = DeviceKeys.fromJson(EngineJson.parse(old.deviceKeys(), "a stored device"));
                    if (!Objects.equals(oldKeys.ed25519Key(), keys.ed25519Key())) {
                        continue; // a device's keys never change: a different key is an attack or a bug
                    }
                }
                listed.add(id);
                tx.putDevice(new DeviceRecord(user, id, EngineJson.write(entry.getValue()), false));
            }
            for (DeviceRecord d : known.values()) {
                if (!listed.contains(d.deviceId()) && !d.deleted()) {
                    tx.putDevice(new DeviceRecord(d.userId(), d.deviceId(), d.deviceKeys(), true));
                }
            }
            JsonNode master = response.path("master_keys").get(user);
            if (master != null) {
                Optional<IdentityRecord> old = tx.identity(user);
                boolean sameMaster = old.isPresent() && Objects.equals(old.get().masterKey(), EngineJson.write(master));
                tx.putIdentity(new IdentityRecord(user, EngineJson.write(master),
                        jsonOrNull(response.path("self_signing_keys").get(user)),
                        jsonOrNull(response.path("user_signing_keys").get(user)),
                        sameMaster && old.get().masterKeyVerified()));
            }
            tx.putTrackedUser(user, changedDuringQuery.contains(user));
        }
        queriedUsers = Set.of();
    }

    private static String jsonOrNull(JsonNode node) {
        return node == null ? null : EngineJson.write(node);
    }

    /** A user's devices that are not deleted, parsed, by device id. */
    private static Map<String, DeviceKeys> liveDevices(StoreTransaction tx, String user) {
        Map<String, DeviceKeys> out = new LinkedHashMap<>();
        for (DeviceRecord d : tx.devices(user)) {
            if (!d.deleted()) out.put(d.deviceId(), DeviceKeys.fromJson(EngineJson.parse(d.deviceKeys(), "a stored device")));
        }
        return out;
    }

    private static UserCrossSigningKeys crossSigningKeys(StoreTransaction tx, String user) {
        Optional<IdentityRecord> id = tx.identity(user);
        if (id.isEmpty() || id.get().masterKey() == null) return null;
        ObjectNode response = EngineJson.object();
        response.putObject("master_keys").set(user, EngineJson.parse(id.get().masterKey(), "a stored master key"));
        if (id.get().selfSigningKey() != null) {
            response.putObject("self_signing_keys").set(user, EngineJson.parse(id.get().selfSigningKey(), "a stored key"));
        }
        if (id.get().userSigningKey() != null) {
            response.putObject("user_signing_keys").set(user, EngineJson.parse(id.get().userSigningKey(), "a stored key"));
        }
        try {
            return UserCrossSigningKeys.fromKeysQuery(response, user).orElse(null);
        } catch (PanolmException e) {
            return null;
        }
    }

    /** A device's trust as the existing trust logic judges it from the stored devices and cross-signing keys. */
    private DeviceTrust deviceTrust(StoreTransaction tx, String user, String device) {
        Map<String, DeviceKeys> devices = liveDevices(tx, user);
        if (!devices.containsKey(device)) return null;
        if (user.equals(userId) && device.equals(deviceId)) return DeviceTrust.VERIFIED;
        UserCrossSigningKeys own = crossSigningKeys(tx, userId);
        boolean ownTrusted = tx.identity(userId).map(IdentityRecord::masterKeyVerified).orElse(false);
        UserCrossSigningKeys theirs = user.equals(userId) ? own : crossSigningKeys(tx, user);
        Optional<IdentityRecord> id = tx.identity(user);
        String pin = id.isPresent() && id.get().masterKeyVerified() && theirs != null ? theirs.master().publicKey() : null;
        Set<String> locallyVerified = tx.value("verified_devices:" + user)
                .map(v -> Set.of(new String(v, StandardCharsets.UTF_8).split("\n"))).orElse(Set.of());
        UserState state = new UserState(user, theirs, devices, locallyVerified, pin);
        return new TrustEvaluator(userId, own, ownTrusted).deviceTrust(state, device);
    }

    /**
     * Marks a device as verified by us directly (after a verification, or by comparing keys out of band).
     *
     * @param user the device's user
     * @param device the device
     */
    public synchronized void setLocalTrust(String user, String device) {
        checkOpen();
        store.transaction(tx -> {
            Set<String> set = new LinkedHashSet<>(tx.value("verified_devices:" + user)
                    .map(v -> List.of(new String(v, StandardCharsets.UTF_8).split("\n"))).orElse(List.of()));
            set.add(device);
            tx.putValue("verified_devices:" + user, String.join("\n", set).getBytes(StandardCharsets.UTF_8));
            return null;
        });
    }

    /**
     * A device's trust now.
     *
     * @param user the user
     * @param device the device
     * @return its trust, or empty when the device is not known
     */
    public synchronized Optional<DeviceTrust> deviceTrust(String user, String device) {
        checkOpen();
        return store.transaction(tx -> Optional.ofNullable(deviceTrust(tx, user, device)));
    }

    /** The device of {@code user} whose Curve25519 key is {@code curve}, or null. */
    private static DeviceKeys deviceByCurveKey(StoreTransaction tx, String user, String curve) {
        for (DeviceKeys d : liveDevices(tx, user).values()) {
            if (curve.equals(d.curve25519Key())) return d;
        }
        return null;
    }

    // --- Olm ----------------------------------------------------------------------------------------------------

    private void handleKeysClaim(StoreTransaction tx, JsonNode response) {
        JsonNode keys = response.get("one_time_keys");
        if (keys != null && !keys.isObject()) throw new EngineException("the keys/claim response's one_time_keys is not an object");
        Set<String> got = new HashSet<>();
        if (keys != null) {
            for (var userEntry : keys.properties()) {
                String user = userEntry.getKey();
                Map<String, DeviceKeys> devices = liveDevices(tx, user);
                for (var deviceEntry : userEntry.getValue().properties()) {
                    DeviceKeys device = devices.get(deviceEntry.getKey());
                    if (device == null || !claimedDevices.contains(user + "|" + device.deviceId())) continue;
                    for (var keyEntry : deviceEntry.getValue().properties()) {
                        if (!keyEntry.getKey().startsWith(SIGNED_CURVE25519 + ":")) continue;
                        JsonNode key = keyEntry.getValue();
                        String publicKey = EngineJson.text(key, "key");
                        if (publicKey == null || !isSignedByDevice(key, device)) continue;
                        try (Session session = Session.createOutbound(account,
                                Curve25519PublicKey.fromBase64(device.curve25519Key()),
                                Curve25519PublicKey.fromBase64(publicKey))) {
                            long now = clock.getAsLong();
                            tx.putOlmSession(new OlmSessionRecord(device.curve25519Key(), session.sessionId(),
                                    session.pickle(pickleKey), now, now));
                            got.add(user + "|" + device.deviceId());
                        } catch (PanolmException e) {
                            continue; // a bad key: the device gets m.no_olm below
                        }
                        break;
                    }
                }
            }
        }
        for (String d : claimedDevices) if (!got.contains(d)) noOlm.add(d);
        claimedDevices = Set.of();
    }

    private static boolean isSignedByDevice(JsonNode object, DeviceKeys device) {
        try {
            return SignedTree.isSignedBy(object, device.userId(), device.deviceId(),
                    MatrixBase64.decode(device.ed25519Key(), "ed25519 key"));
        } catch (PanolmException e) {
            return false;
        }
    }

    /** Queues a claim for these devices ({@code user|device}) unless one is in flight; true when queued. */
    private boolean claim(Collection<String> devices) {
        if (devices.isEmpty() || claimInFlight != null) return false;
        Map<String, Map<String, String>> body = new LinkedHashMap<>();
        for (String d : devices) {
            String[] parts = d.split("\\|", 2);
            body.computeIfAbsent(parts[0], u -> new LinkedHashMap<>()).put(parts[1], SIGNED_CURVE25519);
        }
        claimInFlight = newId();
        claimedDevices = Set.copyOf(devices);
        queue.put(claimInFlight, new OutgoingRequest(claimInFlight, new KeysClaimRequest(body)));
        return true;
    }

    /** The Olm payload for {@code recipient}: what the spec requires beside {@code type} and {@code content}. */
    private ObjectNode payload(String type, JsonNode content, DeviceKeys recipient) {
        ObjectNode p = EngineJson.object();
        p.put("type", type).set("content", content);
        p.put("sender", userId).put("sender_device", deviceId);
        p.putObject("keys").put("ed25519", identityKeys.ed25519Base64());
        p.put("recipient", recipient.userId());
        p.putObject("recipient_keys").put("ed25519", recipient.ed25519Key());
        return p;
    }

    private ObjectNode encryptedContent(String recipientCurve, OlmMessage.Type type, String body) {
        ObjectNode content = EngineJson.object();
        content.put("algorithm", OLM).put("sender_key", identityKeys.curve25519Base64());
        content.putObject("ciphertext").putObject(recipientCurve).put("type", type.code()).put("body", body);
        return content;
    }

    /** Encrypts one event for one device on its most recently used session, storing the advanced session. */
    private ObjectNode encryptFor(StoreTransaction tx, DeviceKeys device, String type, JsonNode content) {
        List<OlmSessionRecord> sessions = tx.olmSessions(device.curve25519Key());
        if (sessions.isEmpty()) return null;
        OlmSessionRecord record = sessions.getFirst();
        try (Session session = Session.fromPickle(record.pickle(), pickleKey)) {
            byte[] plaintext = EngineJson.write(payload(type, content, device)).getBytes(StandardCharsets.UTF_8);
            OlmMessage message = session.encrypt(plaintext);
            tx.putOlmSession(new OlmSessionRecord(record.senderKey(), record.sessionId(), session.pickle(pickleKey),
                    record.createdMillis(), clock.getAsLong()));
            return encryptedContent(device.curve25519Key(), message.type(), message.bodyBase64());
        }
    }

    private ToDeviceResult toDevice(StoreTransaction tx, JsonNode event) {
        String type = EngineJson.text(event, "type");
        String sender = EngineJson.text(event, "sender");
        if (type == null || sender == null || !event.path("content").isObject()) {
            return new ToDeviceResult.Failed(sender, "a to-device event without type, sender or content object");
        }
        if (!type.equals("m.room.encrypted")) {
            if (type.equals("m.room_key.withheld")) recordWithheld(tx, event.get("content"));
            if (type.equals("m.room_key_request")) answerKeyRequest(tx, event);
            if (type.equals("m.secret.request")) answerSecretRequest(tx, event);
            return new ToDeviceResult.PlainText(event);
        }
        JsonNode content = event.get("content");
        if (!OLM.equals(EngineJson.text(content, "algorithm"))) {
            return new ToDeviceResult.Failed(sender, "to-device content.algorithm is not " + OLM);
        }
        String senderKey = EngineJson.text(content, "sender_key");
        JsonNode ours = content.path("ciphertext").get(identityKeys.curve25519Base64());
        if (senderKey == null || ours == null || !ours.path("type").isIntegralNumber()
                || EngineJson.text(ours, "body") == null) {
            return new ToDeviceResult.Failed(sender, "to-device content has no sender_key or no ciphertext for this device");
        }
        OlmMessage message;
        Curve25519PublicKey senderCurve;
        try {
            message = OlmMessage.fromBase64(ours.get("type").asLong(), EngineJson.text(ours, "body"));
            senderCurve = Curve25519PublicKey.fromBase64(senderKey);
        } catch (PanolmException e) {
            return new ToDeviceResult.Failed(sender, "to-device ciphertext or sender_key is malformed: " + e.status());
        }
        // Homeservers redeliver: the same ciphertext from the same key is recognised and ignored, not failed.
        if (!tx.markToDeviceProcessed(senderKey + "|" + digest(message.body()))) {
            return new ToDeviceResult.Duplicate(sender);
        }
        byte[] plaintext = decryptOlm(tx, senderCurve, senderKey, message);
        if (plaintext == null) {
            scheduleUnwedge(tx, sender, senderKey);
            return new ToDeviceResult.Failed(sender, "no Olm session with " + senderKey + " decrypts the message");
        }
        try {
            JsonNode payload = EngineJson.parse(plaintext, "the Olm payload");
            String problem = checkPayload(tx, payload, sender, senderKey);
            if (problem != null) return new ToDeviceResult.Failed(sender, problem);
            DeviceKeys device = deviceByCurveKey(tx, sender, senderKey);
            String deviceIdOfSender = device == null ? null : device.deviceId();
            if (device == null && !Boolean.TRUE.equals(tx.trackedUsers().get(sender))) {
                // A device we do not know yet wrote to us: query its user, so that its later messages and its room
                // keys' senders can be told (a key that came before stays unauthenticated: provenance never changes).
                tx.putTrackedUser(sender, true);
            }
            String payloadType = EngineJson.text(payload, "type");
            if ("m.room_key".equals(payloadType)) {
                String failure = receiveRoomKey(tx, payload, sender, senderKey, device);
                if (failure != null) return new ToDeviceResult.Failed(sender, failure);
            } else if ("m.secret.send".equals(payloadType)) {
                String failure = receiveSecret(tx, payload, sender, device);
                if (failure != null) return new ToDeviceResult.Failed(sender, failure);
                // The secret is kept in the store, never handed back in the result.
                ObjectNode redacted = payload.deepCopy();
                ((ObjectNode) redacted.get("content")).remove("secret");
                return new ToDeviceResult.Decrypted(redacted, sender, senderKey, deviceIdOfSender);
            } else if ("m.forwarded_room_key".equals(payloadType)) {
                String failure = receiveForwardedKey(tx, payload, sender, senderKey, device);
                if (failure != null) return new ToDeviceResult.Failed(sender, failure);
            }
            return new ToDeviceResult.Decrypted(payload, sender, senderKey, deviceIdOfSender);
        } finally {
            java.util.Arrays.fill(plaintext, (byte) 0);
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return MatrixBase64.encode(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Tries the known sessions; on a pre-key message that none matches, makes a new inbound session. */
    private byte[] decryptOlm(StoreTransaction tx, Curve25519PublicKey senderCurve, String senderKey, OlmMessage message) {
        boolean preKey = message.type() == OlmMessage.Type.PRE_KEY;
        for (OlmSessionRecord record : tx.olmSessions(senderKey)) {
            try (Session session = Session.fromPickle(record.pickle(), pickleKey)) {
                if (preKey && !session.matchesInboundFrom(senderCurve, message)) continue;
                byte[] plaintext;
                try {
                    plaintext = session.decrypt(message);
                } catch (PanolmException e) {
                    if (preKey) return null; // the matching session failed: the message is bad, not the session
                    continue;
                }
                tx.putOlmSession(new OlmSessionRecord(senderKey, record.sessionId(), session.pickle(pickleKey),
                        record.createdMillis(), clock.getAsLong()));
                return plaintext;
            }
        }
        if (!preKey) return null;
        try (InboundSession inbound = account.createInboundSession(senderCurve, message)) {
            long now = clock.getAsLong();
            tx.putOlmSession(new OlmSessionRecord(senderKey, inbound.session().sessionId(),
                    inbound.session().pickle(pickleKey), now, now));
            saveAccount(tx); // the one-time key is gone
            return inbound.plaintext();
        } catch (PanolmException e) {
            return null;
        }
    }

    /** The spec's checks on a decrypted Olm payload; null when it passes, else what failed. */
    private String checkPayload(StoreTransaction tx, JsonNode payload, String sender, String senderKey) {
        if (!sender.equals(EngineJson.text(payload, "sender"))) return "the Olm payload's sender is not the event's sender";
        if (!userId.equals(EngineJson.text(payload, "recipient"))) return "the Olm payload's recipient is not us";
        if (!identityKeys.ed25519Base64().equals(EngineJson.text(payload.path("recipient_keys"), "ed25519"))) {
            return "the Olm payload's recipient_keys.ed25519 is not our key";
        }
        String claimed = EngineJson.text(payload.path("keys"), "ed25519");
        if (claimed == null) return "the Olm payload has no keys.ed25519";
        if (EngineJson.text(payload, "type") == null || !payload.path("content").isObject()) {
            return "the Olm payload has no type or content object";
        }
        DeviceKeys device = deviceByCurveKey(tx, sender, senderKey);
        if (device != null && !claimed.equals(device.ed25519Key())) {
            return "the Olm payload's keys.ed25519 is not the Ed25519 key of the sending device";
        }
        return null;
    }

    private void scheduleUnwedge(StoreTransaction tx, String sender, String senderKey) {
        DeviceKeys device = deviceByCurveKey(tx, sender, senderKey);
        if (device == null) return;
        String key = sender + "|" + device.deviceId();
        Long last = lastUnwedge.get(key);
        long now = clock.getAsLong();
        if (last != null && now - last < UNWEDGE_INTERVAL_MS) return;
        lastUnwedge.put(key, now);
        unwedge.add(key);
    }

    /** A new session with each wedged device (claimed first), on which an m.dummy is sent. */
    private void sendUnwedgingDummies(StoreTransaction tx) {
        if (unwedge.isEmpty()) return;
        List<String> toClaim = new ArrayList<>();
        Map<String, Map<String, JsonNode>> messages = new LinkedHashMap<>();
        for (var it = unwedge.iterator(); it.hasNext(); ) {
            String key = it.next();
            String[] parts = key.split("\\|", 2);
            DeviceKeys device = liveDevices(tx, parts[0]).get(parts[1]);
            if (device == null) {
                it.remove();
                continue;
            }
            boolean fresh = tx.olmSessions(device.curve25519Key()).stream()
                    .anyMatch(s -> s.createdMillis() >= lastUnwedge.getOrDefault(key, Long.MAX_VALUE));
            if (!fresh) {
                if (!noOlm.remove(key)) toClaim.add(key);
                else it.remove();
                continue;
            }
            ObjectNode content = encryptFor(tx, device, "m.dummy", EngineJson.object());
            messages.computeIfAbsent(parts[0], u -> new LinkedHashMap<>()).put(parts[1], content);
            it.remove();
        }
        if (!messages.isEmpty()) enqueue(tx, new ToDeviceRequest("m.room.encrypted", newId(), messages));
        claim(toClaim);
    }

    /**
     * Queues an Olm-encrypted to-device event for one device, on our most recently used session with it.
     *
     * @param user the device's user
     * @param device the device
     * @param eventType the payload's event type
     * @param content the payload's content
     * @throws EngineException when the device is unknown or we have no Olm session with it yet (a
     *                         {@link #shareRoomKey} to the device establishes one)
     */
    public synchronized void sendToDevice(String user, String device, String eventType, JsonNode content) {
        checkOpen();
        store.transaction(tx -> {
            DeviceKeys keys = liveDevices(tx, user).get(device);
            if (keys == null) throw new EngineException("device " + device + " of " + user + " is not known");
            ObjectNode encrypted = encryptFor(tx, keys, eventType, content);
            if (encrypted == null) throw new EngineException("no Olm session with device " + device + " of " + user);
            enqueue(tx, new ToDeviceRequest("m.room.encrypted", newId(), Map.of(user, Map.of(device, encrypted))));
            return null;
        });
    }

    // --- key requests (m.room_key_request / m.forwarded_room_key), between our own devices only ---

    /** Asks our other devices for a room key we lack, once per session (the spec sends requests in the clear). */
    private void requestRoomKey(StoreTransaction tx, String roomId, String sessionId, String senderKey) {
        String name = "key_request:" + roomId + "|" + sessionId;
        if (tx.value(name).isPresent()) return;
        String requestId = newId();
        tx.putValue(name, requestId.getBytes(StandardCharsets.UTF_8));
        ObjectNode content = EngineJson.object();
        content.put("action", "request").put("request_id", requestId).put("requesting_device_id", deviceId);
        ObjectNode body = content.putObject("body");
        body.put("algorithm", MEGOLM).put("room_id", roomId).put("session_id", sessionId);
        if (senderKey != null) body.put("sender_key", senderKey);
        enqueue(tx, new ToDeviceRequest("m.room_key_request", newId(), Map.of(userId, Map.of("*", content))));
    }

    /** Answers a key request from one of our own verified devices with the best copy we hold. */
    private void answerKeyRequest(StoreTransaction tx, JsonNode event) {
        JsonNode content = event.get("content");
        String requester = EngineJson.text(content, "requesting_device_id");
        if (!userId.equals(EngineJson.text(event, "sender")) || !"request".equals(EngineJson.text(content, "action"))
                || requester == null || requester.equals(deviceId)) {
            return; // only our own other devices are answered; cancellations need nothing here
        }
        DeviceKeys device = liveDevices(tx, userId).get(requester);
        if (device == null || deviceTrust(tx, userId, requester) != DeviceTrust.VERIFIED) return;
        JsonNode body = content.path("body");
        String roomId = EngineJson.text(body, "room_id");
        String sessionId = EngineJson.text(body, "session_id");
        if (roomId == null || sessionId == null || !MEGOLM.equals(EngineJson.text(body, "algorithm"))) return;
        List<RoomKeyRecord> copies = tx.roomKeys(roomId, sessionId);
        if (copies.isEmpty()) return;
        ExportedRoomKey key = copies.getFirst().key();
        ObjectNode forwarded = EngineJson.object();
        forwarded.put("algorithm", MEGOLM).put("room_id", roomId).put("session_id", sessionId)
                .put("session_key", key.sessionKey()).put("sender_key", key.senderKey())
                .put("sender_claimed_ed25519_key", key.senderClaimedKeys().get("ed25519"));
        var chain = forwarded.putArray("forwarding_curve25519_key_chain");
        key.forwardingCurve25519KeyChain().forEach(chain::add);
        ObjectNode encrypted = encryptFor(tx, device, "m.forwarded_room_key", forwarded);
        if (encrypted == null) {
            unanswered.add(event); // answered once a session is claimed
            claim(List.of(userId + "|" + requester));
            return;
        }
        enqueue(tx, new ToDeviceRequest("m.room.encrypted", newId(), Map.of(userId, Map.of(requester, encrypted))));
    }

    /**
     * Accepts a forwarded key only when we asked for it and it comes from one of our own verified devices; it is
     * stored as forwarded (never authenticated), and the request is settled.
     */
    private String receiveForwardedKey(StoreTransaction tx, JsonNode payload, String sender, String senderKey,
                                       DeviceKeys device) {
        JsonNode c = payload.get("content");
        String roomId = EngineJson.text(c, "room_id");
        String sessionId = EngineJson.text(c, "session_id");
        if (roomId == null || sessionId == null) return "m.forwarded_room_key without room_id or session_id";
        String name = "key_request:" + roomId + "|" + sessionId;
        if (tx.value(name).isEmpty()) return "m.forwarded_room_key for session " + sessionId + " was not requested";
        if (!sender.equals(userId) || device == null || deviceTrust(tx, sender, device.deviceId()) != DeviceTrust.VERIFIED) {
            return "m.forwarded_room_key from a device that is not our own verified device";
        }
        List<String> chain = new ArrayList<>();
        c.path("forwarding_curve25519_key_chain").forEach(k -> chain.add(k.asText()));
        String claimed = EngineJson.text(c, "sender_claimed_ed25519_key");
        try {
            var provenance = new KeyProvenance.Forwarded(sender, device.deviceId(), senderKey, true, chain);
            List<String> fullChain = new ArrayList<>(chain);
            fullChain.add(senderKey);
            var key = new ExportedRoomKey(MEGOLM, roomId, EngineJson.text(c, "sender_key"), sessionId,
                    EngineJson.text(c, "session_key"), claimed == null ? Map.of() : Map.of("ed25519", claimed),
                    fullChain, false);
            tx.addRoomKey(RoomKeyRecord.of(key, provenance, fullChain.size()));
        } catch (PanolmException e) {
            return "m.forwarded_room_key for session " + sessionId + " is malformed: " + e.status();
        }
        tx.putValue(name + ":done", new byte[] {1});
        return null;
    }

    // --- secrets (m.secret.request / m.secret.send), between our own verified devices only ---

    /**
     * Keeps a secret (the backup key {@code m.megolm_backup.v1}, a cross-signing private key, ...) sealed in the
     * store, to be sent to our own verified devices that ask for it.
     *
     * @param name the secret's name
     * @param value the secret (unpadded base64, as {@code m.secret.send} carries it)
     */
    public synchronized void storeSecret(String name, String value) {
        checkOpen();
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        store.transaction(tx -> {
            tx.putValue("secret:" + name, value.getBytes(StandardCharsets.UTF_8));
            return null;
        });
    }

    /**
     * A secret we hold: stored here, or received from one of our own verified devices after we asked.
     *
     * @param name the secret's name
     * @return its value
     */
    public synchronized Optional<String> secret(String name) {
        checkOpen();
        return store.transaction(tx -> tx.value("secret:" + name).map(v -> new String(v, StandardCharsets.UTF_8)));
    }

    /**
     * Asks our other devices for a secret ({@code m.secret.request}, in the clear as the spec sends it); a
     * verified device of ours that holds it answers over Olm, and {@link #secret} then returns it.
     *
     * @param name the secret's name
     */
    public synchronized void requestSecret(String name) {
        checkOpen();
        store.transaction(tx -> {
            String requestId = newId();
            tx.putValue("secret_request:" + requestId, name.getBytes(StandardCharsets.UTF_8));
            ObjectNode content = EngineJson.object();
            content.put("action", "request").put("name", name).put("request_id", requestId)
                    .put("requesting_device_id", deviceId);
            enqueue(tx, new ToDeviceRequest("m.secret.request", newId(), Map.of(userId, Map.of("*", content))));
            return null;
        });
    }

    private void answerSecretRequest(StoreTransaction tx, JsonNode event) {
        JsonNode content = event.get("content");
        String requester = EngineJson.text(content, "requesting_device_id");
        String name = EngineJson.text(content, "name");
        String requestId = EngineJson.text(content, "request_id");
        if (!userId.equals(EngineJson.text(event, "sender")) || !"request".equals(EngineJson.text(content, "action"))
                || requester == null || requester.equals(deviceId) || name == null || requestId == null) {
            return;
        }
        DeviceKeys device = liveDevices(tx, userId).get(requester);
        if (device == null || deviceTrust(tx, userId, requester) != DeviceTrust.VERIFIED) return;
        Optional<byte[]> secret = tx.value("secret:" + name);
        if (secret.isEmpty()) return;
        ObjectNode send = EngineJson.object();
        send.put("request_id", requestId).put("secret", new String(secret.get(), StandardCharsets.UTF_8));
        ObjectNode encrypted = encryptFor(tx, device, "m.secret.send", send);
        java.util.Arrays.fill(secret.get(), (byte) 0);
        if (encrypted == null) {
            unanswered.add(event);
            claim(List.of(userId + "|" + requester));
            return;
        }
        enqueue(tx, new ToDeviceRequest("m.room.encrypted", newId(), Map.of(userId, Map.of(requester, encrypted))));
    }

    private String receiveSecret(StoreTransaction tx, JsonNode payload, String sender, DeviceKeys device) {
        String requestId = EngineJson.text(payload.get("content"), "request_id");
        String secret = EngineJson.text(payload.get("content"), "secret");
        if (requestId == null || secret == null) return "m.secret.send without request_id or secret";
        Optional<byte[]> name = tx.value("secret_request:" + requestId);
        if (name.isEmpty()) return "m.secret.send for a request we did not make";
        if (!sender.equals(userId) || device == null || deviceTrust(tx, sender, device.deviceId()) != DeviceTrust.VERIFIED) {
            return "m.secret.send from a device that is not our own verified device";
        }
        tx.putValue("secret:" + new String(name.get(), StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
        return null;
    }

    // --- room keys in -------------------------------------------------------------------------------------------

    private String receiveRoomKey(StoreTransaction tx, JsonNode payload, String sender, String senderKey,
                                  DeviceKeys device) {
        JsonNode c = payload.get("content");
        String roomId = EngineJson.text(c, "room_id");
        String sessionId = EngineJson.text(c, "session_id");
        String sessionKey = EngineJson.text(c, "session_key");
        if (!MEGOLM.equals(EngineJson.text(c, "algorithm")) || roomId == null || sessionId == null || sessionKey == null) {
            return "m.room_key without algorithm " + MEGOLM + ", room_id, session_id or session_key";
        }
        KeyProvenance.DeviceCheck check = device == null ? KeyProvenance.DeviceCheck.NOT_MATCHED
                : deviceTrust(tx, sender, device.deviceId()) == DeviceTrust.VERIFIED ? KeyProvenance.DeviceCheck.VERIFIED
                : KeyProvenance.DeviceCheck.KEYS_MATCH;
        var provenance = new KeyProvenance.ReceivedOverOlm(sender, device == null ? null : device.deviceId(), senderKey,
                check);
        try (MegolmInboundSession session = MegolmInboundSession.create(SessionKey.fromBase64(sessionKey), roomId,
                provenance)) {
            if (!session.sessionId().equals(sessionId)) {
                return "m.room_key session_id " + sessionId + " is not the id of its session_key";
            }
            String claimed = EngineJson.text(payload.path("keys"), "ed25519");
            var exported = new ExportedRoomKey(MEGOLM, roomId, senderKey, sessionId, session.export().toBase64(),
                    Map.of("ed25519", claimed), List.of(), c.path("shared_history").asBoolean(false));
            tx.addRoomKey(RoomKeyRecord.of(exported, provenance, 0));
            return null;
        } catch (PanolmException e) {
            return "m.room_key for room " + roomId + " session " + sessionId + " is malformed: " + e.status();
        }
    }

    private static void recordWithheld(StoreTransaction tx, JsonNode content) {
        String room = EngineJson.text(content, "room_id");
        String session = EngineJson.text(content, "session_id");
        String code = EngineJson.text(content, "code");
        if (room != null && session != null && code != null && WithheldCode.of(code) != null) {
            tx.putValue("withheld:" + room + "|" + session, code.getBytes(StandardCharsets.UTF_8));
        }
    }

    // --- room keys out ------------------------------------------------------------------------------------------

    /**
     * Shares the room's Megolm session with every device of {@code members} that should have it, over Olm, in one
     * batch encryption: the session is rotated first when the settings say so or when a device it was shared with
     * is gone (a member left, a device was deleted). Members whose devices are not known yet are queried, devices
     * without an Olm session get a key claimed, and the share completes when those responses come back; devices
     * left out get {@code m.room_key.withheld} with the reason. The to-device requests appear in
     * {@link #outgoingRequests()}.
     *
     * @param roomId the room
     * @param members the room's joined members (our own user included, for our other devices)
     * @param settings the room's rotation and sharing settings
     */
    public synchronized void shareRoomKey(String roomId, Collection<String> members, EncryptionSettings settings) {
        checkOpen();
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(settings, "settings");
        Set<String> memberSet = Set.copyOf(members);
        store.transaction(tx -> {
            share(tx, roomId, new PendingShare(memberSet, settings), false);
            return null;
        });
    }

    private void resumePendingShares(StoreTransaction tx) {
        for (var e : List.copyOf(pendingShares.entrySet())) share(tx, e.getKey(), e.getValue(), true);
    }

    /**
     * One step of a share: the caller's call ({@code resumed} false) rotates the session when due and fixes the
     * session key the devices of this call get (its index now: messages encrypted after the call are readable by
     * every device of the call, even one whose keys query or claim is still in flight); a resumed step (a query or
     * claim came back) shares that same key with the devices that became ready, and never rotates.
     */
    private void share(StoreTransaction tx, String roomId, PendingShare request, boolean resumed) {
        // A call while an earlier one still waits keeps the earlier key: its devices must read what was sent since.
        boolean earlierWaiting = pendingShares.remove(roomId) != null;
        Map<String, Boolean> tracked = tx.trackedUsers();
        boolean waiting = false;
        for (String m : request.members()) {
            Boolean outdated = tracked.get(m);
            if (outdated == null) tx.putTrackedUser(m, true);
            if (outdated == null || outdated) waiting = true;
        }
        EncryptionSettings settings = request.settings();
        List<DeviceKeys> recipients = new ArrayList<>();
        for (String m : request.members()) {
            for (DeviceKeys d : liveDevices(tx, m).values()) {
                if (m.equals(userId) && d.deviceId().equals(deviceId)) continue;
                recipients.add(d);
            }
        }
        Set<String> current = new HashSet<>();
        for (DeviceKeys d : recipients) current.add(deviceRef(d));
        OutboundGroupSessionRecord outbound = tx.outboundGroupSession(roomId).orElse(null);
        long now = clock.getAsLong();
        if (outbound == null || !resumed && (now - outbound.createdMillis() >= settings.rotationPeriodMs()
                || outbound.messageCount() >= settings.rotationPeriodMsgs()
                || outbound.sharedWith().stream().filter(s -> !s.startsWith("!")).anyMatch(s -> !current.contains(s)))) {
            outbound = newOutboundSession(tx, roomId);
        } else if (!resumed && !earlierWaiting) {
            outbound = outbound.withShareKey(outbound.sessionKey());
            tx.putOutboundGroupSession(outbound);
        }
        if (waiting) {
            pendingShares.put(roomId, request); // resumed when the keys query comes back
            return;
        }
        Set<String> sharedWith = new HashSet<>(outbound.sharedWith());
        Map<String, Optional<OlmSessionRecord>> sessions = new HashMap<>(); // read once per device per share
        List<DeviceKeys> toShare = new ArrayList<>();
        Map<WithheldCode, List<DeviceKeys>> withheld = new LinkedHashMap<>();
        List<String> toClaim = new ArrayList<>();
        for (DeviceKeys d : recipients) {
            String ref = deviceRef(d);
            if (sharedWith.contains(ref) || sharedWith.contains("!" + ref)) continue;
            String id = d.userId() + "|" + d.deviceId();
            WithheldCode code = null;
            if (settings.blacklistedDevices().contains(id)) {
                code = WithheldCode.BLACKLISTED;
            } else if (settings.onlyVerifiedDevices() && deviceTrust(tx, d.userId(), d.deviceId()) != DeviceTrust.VERIFIED) {
                code = WithheldCode.UNVERIFIED;
            } else if (newest(tx, sessions, d).isEmpty()) {
                if (noOlm.contains(id)) {
                    code = WithheldCode.NO_OLM;
                } else {
                    toClaim.add(id);
                    continue;
                }
            }
            if (code != null) {
                withheld.computeIfAbsent(code, c -> new ArrayList<>()).add(d);
                sharedWith.add("!" + ref);
            } else {
                toShare.add(d);
            }
        }
        if (!toShare.isEmpty()) {
            ToDeviceRequest roomKeys = encryptRoomKey(tx, roomId, outbound, toShare, sessions);
            roomKeys.messages().forEach((user, devices) -> {
                for (DeviceKeys d : toShare) {
                    if (d.userId().equals(user) && devices.containsKey(d.deviceId())) sharedWith.add(deviceRef(d));
                }
            });
            if (!roomKeys.messages().isEmpty()) enqueue(tx, roomKeys);
        }
        if (!withheld.isEmpty()) {
            Map<String, Map<String, JsonNode>> messages = new LinkedHashMap<>();
            String sessionId = outbound.sessionId();
            withheld.forEach((code, devices) -> {
                for (DeviceKeys d : devices) {
                    ObjectNode c = EngineJson.object();
                    c.put("algorithm", MEGOLM).put("room_id", roomId).put("session_id", sessionId)
                            .put("sender_key", identityKeys.curve25519Base64()).put("code", code.code())
                            .put("reason", code.code());
                    messages.computeIfAbsent(d.userId(), u -> new LinkedHashMap<>()).put(d.deviceId(), c);
                }
            });
            enqueue(tx, new ToDeviceRequest("m.room_key.withheld", newId(), messages));
        }
        tx.putOutboundGroupSession(new OutboundGroupSessionRecord(roomId, outbound.sessionId(), outbound.sessionKey(),
                outbound.signingSeed(), outbound.createdMillis(), outbound.messageCount(), sharedWith,
                outbound.shareKey()));
        if (!toClaim.isEmpty()) {
            claim(toClaim);
            pendingShares.put(roomId, request); // resumed when the claim comes back
        }
    }

    /** The most recently used Olm session with a device, read from the store once per share. */
    private static Optional<OlmSessionRecord> newest(StoreTransaction tx, Map<String, Optional<OlmSessionRecord>> cache,
                                                     DeviceKeys d) {
        return cache.computeIfAbsent(d.curve25519Key(), k -> tx.olmSessions(k).stream().findFirst());
    }

    private static String deviceRef(DeviceKeys d) {
        return d.userId() + "|" + d.deviceId() + "|" + d.curve25519Key();
    }

    private OutboundGroupSessionRecord newOutboundSession(StoreTransaction tx, String roomId) {
        byte[] ratchet = SecureRandomBytes.next(MegolmOutboundSession.RATCHET_LENGTH);
        byte[] seed = SecureRandomBytes.next(MegolmOutboundSession.SEED_LENGTH);
        try (MegolmOutboundSession session = MegolmOutboundSession.fromParts(ratchet, 0, seed)) {
            SessionKey key = session.sessionKey();
            // Our own copy, so that we read our own messages: created here, the best provenance there is.
            try (MegolmInboundSession inbound = MegolmInboundSession.create(key, roomId, new KeyProvenance.CreatedHere())) {
                var exported = new ExportedRoomKey(MEGOLM, roomId, identityKeys.curve25519Base64(), session.sessionId(),
                        inbound.export().toBase64(), Map.of("ed25519", identityKeys.ed25519Base64()), List.of(), false);
                tx.addRoomKey(RoomKeyRecord.of(exported, new KeyProvenance.CreatedHere(), 0));
            }
            var record = new OutboundGroupSessionRecord(roomId, session.sessionId(), key.toBase64(),
                    MatrixBase64.encode(seed), clock.getAsLong(), 0, Set.of(), key.toBase64());
            tx.putOutboundGroupSession(record);
            return record;
        } finally {
            java.util.Arrays.fill(ratchet, (byte) 0);
            java.util.Arrays.fill(seed, (byte) 0);
        }
    }

    private MegolmOutboundSession restore(OutboundGroupSessionRecord record) {
        byte[] key = MatrixBase64.decode(record.sessionKey(), "session_key");
        byte[] seed = MatrixBase64.decode(record.signingSeed(), "signing seed");
        try {
            long index = java.nio.ByteBuffer.wrap(key, 1, 4).getInt() & 0xFFFF_FFFFL;
            byte[] ratchet = java.util.Arrays.copyOfRange(key, 5, 5 + MegolmOutboundSession.RATCHET_LENGTH);
            try {
                return MegolmOutboundSession.fromParts(ratchet, index, seed);
            } finally {
                java.util.Arrays.fill(ratchet, (byte) 0);
            }
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
            java.util.Arrays.fill(seed, (byte) 0);
        }
    }

    /** The m.room_key for every device in one native batch call; the advanced Olm sessions are stored. */
    private ToDeviceRequest encryptRoomKey(StoreTransaction tx, String roomId, OutboundGroupSessionRecord outbound,
                                           List<DeviceKeys> devices, Map<String, Optional<OlmSessionRecord>> cache) {
        ObjectNode content = EngineJson.object();
        content.put("algorithm", MEGOLM).put("room_id", roomId).put("session_id", outbound.sessionId())
                .put("session_key", outbound.shareKey());
        // Everything but recipient and recipient_keys is the same for every device: two holes in one template.
        String head = "{\"type\":\"m.room_key\",\"content\":" + EngineJson.write(content) + ",\"sender\":"
                + EngineJson.quote(userId) + ",\"sender_device\":" + EngineJson.quote(deviceId)
                + ",\"keys\":{\"ed25519\":" + EngineJson.quote(identityKeys.ed25519Base64()) + "},\"recipient\":";
        PayloadTemplate template = PayloadTemplate.of(head, ",\"recipient_keys\":{\"ed25519\":", "}}");
        List<BatchEncryption.Recipient> recipients = new ArrayList<>();
        List<Session> sessions = new ArrayList<>();
        List<OlmSessionRecord> records = new ArrayList<>();
        try {
            for (DeviceKeys d : devices) {
                OlmSessionRecord record = newest(tx, cache, d).orElseThrow();
                Session s = Session.fromPickle(record.pickle(), pickleKey);
                sessions.add(s);
                records.add(record);
                recipients.add(new BatchEncryption.Recipient(s, List.of(
                        EngineJson.quote(d.userId()).getBytes(StandardCharsets.UTF_8),
                        EngineJson.quote(d.ed25519Key()).getBytes(StandardCharsets.UTF_8))));
            }
            List<BatchEncryption.Result> results = BatchEncryption.encrypt(template, recipients);
            Map<String, Map<String, JsonNode>> messages = new LinkedHashMap<>();
            long now = clock.getAsLong();
            for (int i = 0; i < devices.size(); i++) {
                BatchEncryption.Result r = results.get(i);
                if (!r.ok()) continue;
                DeviceKeys d = devices.get(i);
                OlmSessionRecord rec = records.get(i);
                tx.putOlmSession(new OlmSessionRecord(rec.senderKey(), rec.sessionId(), sessions.get(i).pickle(pickleKey),
                        rec.createdMillis(), now));
                messages.computeIfAbsent(d.userId(), u -> new LinkedHashMap<>())
                        .put(d.deviceId(), encryptedContent(d.curve25519Key(), r.type(), r.body()));
            }
            return new ToDeviceRequest("m.room.encrypted", newId(), messages);
        } finally {
            for (Session s : sessions) s.close();
        }
    }

    /**
     * Encrypts a room event with the room's current Megolm session ({@link #shareRoomKey} first).
     *
     * @param roomId the room
     * @param eventType the event type
     * @param content the event content
     * @return the {@code m.room.encrypted} content to send
     * @throws EngineException when no session was shared in the room, or it needs rotating (share again first)
     */
    public synchronized ObjectNode encryptRoomEvent(String roomId, String eventType, JsonNode content) {
        checkOpen();
        return store.transaction(tx -> {
            OutboundGroupSessionRecord record = tx.outboundGroupSession(roomId).orElseThrow(() ->
                    new EngineException("no room key was shared in " + roomId + ": call shareRoomKey first"));
            try (MegolmOutboundSession session = restore(record)) {
                ObjectNode payload = EngineJson.object();
                payload.put("type", eventType).set("content", content);
                payload.put("room_id", roomId);
                String ciphertext = session.encrypt(EngineJson.write(payload));
                tx.putOutboundGroupSession(new OutboundGroupSessionRecord(roomId, record.sessionId(),
                        session.sessionKey().toBase64(), record.signingSeed(), record.createdMillis(),
                        record.messageCount() + 1, record.sharedWith(), record.shareKey()));
                ObjectNode out = EngineJson.object();
                out.put("algorithm", MEGOLM).put("sender_key", identityKeys.curve25519Base64())
                        .put("ciphertext", ciphertext).put("session_id", record.sessionId()).put("device_id", deviceId);
                return out;
            }
        });
    }

    /**
     * Decrypts a room event with the stored room keys (every held copy of its session is tried, best first).
     *
     * @param event the {@code m.room.encrypted} event ({@code event_id}, {@code sender}, {@code content})
     * @param roomId the room it was received in
     * @return the plaintext with sender, device, trust and the key's provenance
     * @throws UndecryptableEventException when no key decrypts it (with the withheld code when the sender said why)
     * @throws EngineException when the event is malformed (which field)
     */
    public synchronized DecryptedRoomEvent decryptRoomEvent(JsonNode event, String roomId) {
        checkOpen();
        String eventId = EngineJson.text(event, "event_id");
        String sender = EngineJson.text(event, "sender");
        JsonNode content = event.path("content");
        String sessionId = EngineJson.text(content, "session_id");
        String ciphertext = EngineJson.text(content, "ciphertext");
        if (eventId == null || sender == null || !MEGOLM.equals(EngineJson.text(content, "algorithm"))
                || sessionId == null || ciphertext == null) {
            throw new EngineException("event " + eventId + " is not a Megolm m.room.encrypted event with sender, "
                    + "session_id and ciphertext");
        }
        // The failure is returned out of the transaction (so the key request it queues is kept), then thrown.
        Object outcome = store.transaction(tx -> {
            List<RoomKeyRecord> copies = tx.roomKeys(roomId, sessionId);
            PanolmException last = null;
            for (RoomKeyRecord copy : copies) {
                try (MegolmInboundSession session = MegolmInboundSession.importSession(copy.sessionKey(), copy.provenance())) {
                    session.bindToRoom(roomId);
                    DecryptedMessage m = session.decrypt(ciphertext, eventId, roomId);
                    String plaintext = m.plaintextUtf8();
                    JsonNode parsed = EngineJson.parse(plaintext, "the decrypted payload of event " + eventId);
                    if (!roomId.equals(EngineJson.text(parsed, "room_id"))) {
                        throw new EngineException("the decrypted payload of event " + eventId + " names another room");
                    }
                    String senderKey = copy.key().senderKey();
                    DeviceKeys device = senderKey == null ? null : deviceByCurveKey(tx, sender, senderKey);
                    DeviceTrust trust = device == null ? null : deviceTrust(tx, sender, device.deviceId());
                    return new DecryptedRoomEvent(plaintext, sender, device == null ? null : device.deviceId(), trust,
                            copy.provenance(), m.messageIndex());
                } catch (PanolmException e) {
                    last = e;
                }
            }
            WithheldCode withheld = tx.value("withheld:" + roomId + "|" + sessionId)
                    .map(v -> WithheldCode.of(new String(v, StandardCharsets.UTF_8))).orElse(null);
            if (copies.isEmpty() && withheld == null) requestRoomKey(tx, roomId, sessionId,
                    EngineJson.text(content, "sender_key"));
            return new UndecryptableEventException(eventId, sessionId, withheld,
                    copies.isEmpty() ? null : last == null ? null : last.status());
        });
        if (outcome instanceof UndecryptableEventException e) throw e;
        return (DecryptedRoomEvent) outcome;
    }

    // --- export and import of room keys, streamed ---

    /**
     * Writes every room key in the store to an Element-compatible room-key export file, streamed (bounded memory
     * whatever the count), each with its provenance.
     *
     * @param out where the file goes; flushed, not closed
     * @param passphrase the file's passphrase
     * @param rounds its PBKDF2 rounds
     * @return how many keys were written
     * @throws java.io.IOException when writing fails
     */
    public synchronized long exportRoomKeys(java.io.OutputStream out, org.panolm.recovery.Passphrase passphrase,
                                            int rounds) throws java.io.IOException {
        checkOpen();
        try (var writer = org.panolm.export.RoomKeyExportWriter.open(out, passphrase, rounds)) {
            store.transaction(tx -> {
                tx.forEachRoomKey(r -> {
                    try {
                        writer.write(r.key(), r.provenance());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                return null;
            });
            return writer.count();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Imports a room-key export file into the store in one transaction, each key marked as imported from the file
     * (not authenticated) and merged with the copies held as the merge rule orders them.
     *
     * @param file the export file
     * @param passphrase its passphrase
     * @return how many keys the file held and were imported
     * @throws java.io.IOException when reading fails (a wrong passphrase or altered file is refused before any key is used)
     */
    public synchronized org.panolm.export.ImportSummary importRoomKeys(java.nio.file.Path file,
            org.panolm.recovery.Passphrase passphrase) throws java.io.IOException {
        checkOpen();
        try {
            return store.transaction(tx -> {
                try {
                    return org.panolm.export.RoomKeyExport.importFileWithProvenance(file, passphrase, (room, session) -> true,
                            (key, provenance) -> tx.addRoomKey(RoomKeyRecord.of(key, provenance,
                                    key.forwardingCurve25519KeyChain().size())));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("the engine is closed");
    }

    /** Closes the account (the store stays open: the caller owns it). */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        account.close();
        java.util.Arrays.fill(pickleKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "OlmMachine[" + userId + ", " + deviceId + "]";
    }
}
