package org.panolm.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jspecify.annotations.Nullable;
import org.panolm.PanolmException;
import org.panolm.engine.store.CryptoStore;
import org.panolm.engine.store.PendingRequest;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.olm.Account;
import org.panolm.olm.IdentityKeys;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.trust.DeviceTrust;
import org.panolm.trust.UserTrust;
import org.panolm.verification.Cancellation;
import org.panolm.verification.sas.SasState;
import org.panolm.verification.sas.ShortAuthenticationString;

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
    /** The store value holding the last sync's {@code next_batch}. */
    private static final String SYNC_TOKEN = "sync_token";

    private final CryptoStore store;
    private final EngineCore core;
    private final AccountKeys accountKeys;
    private final DeviceTracker devices;
    private final OlmSessions olm;
    private final KeyRequests keyRequests;
    private final Secrets secrets;
    private final ToDeviceReceiver toDevice;
    private final RoomKeySharing sharing;
    private final RoomEvents roomEvents;
    private final Verifications verifications;
    private final CrossSigner crossSigner;
    private boolean closed;

    private OlmMachine(CryptoStore store, EngineCore core) {
        this.store = store;
        this.core = core;
        this.accountKeys = new AccountKeys(core);
        this.devices = new DeviceTracker(core);
        this.olm = new OlmSessions(core);
        this.keyRequests = new KeyRequests(core, devices, olm);
        this.crossSigner = new CrossSigner(core);
        this.secrets = new Secrets(core, devices, olm, crossSigner);
        this.verifications = new Verifications(core, crossSigner, secrets);
        this.toDevice = new ToDeviceReceiver(core, olm, new ReceivedRoomKeys(core, devices), keyRequests, secrets,
                verifications);
        this.sharing = new RoomKeySharing(core, devices, olm);
        this.roomEvents = new RoomEvents(core, devices, keyRequests);
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
            OlmMachine machine = new OlmMachine(store, new EngineCore(userId, deviceId, clock, pickleKey, account));
            for (PendingRequest p : tx.pendingRequests()) {
                RequestBody body = RequestType.TO_DEVICE.name().equals(p.type()) ? StoredToDevice.read(p)
                        : CrossSigner.readStored(p);
                machine.core.queue.put(p.id(), new OutgoingRequest(p.id(), body));
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
        return core.userId;
    }

    /**
     * Our device id.
     *
     * @return the device id
     */
    public String deviceId() {
        return core.deviceId;
    }

    /**
     * Our device's identity keys.
     *
     * @return the keys
     */
    public IdentityKeys identityKeys() {
        return core.identityKeys;
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
            accountKeys.queueUpload(tx);
            devices.queueQuery(tx);
            return null;
        });
        return List.copyOf(core.queue.values());
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
        OutgoingRequest request = core.queue.get(requestId);
        if (request == null) throw new EngineException("no outgoing request has the id " + requestId);
        JsonNode response = EngineJson.parse(responseJson, "the response to " + request.type() + " " + requestId);
        store.transaction(tx -> {
            switch (request.type()) {
                case KEYS_UPLOAD -> accountKeys.handleUploadResponse(tx, response);
                case KEYS_QUERY -> devices.handleKeysQuery(tx, response);
                case KEYS_CLAIM -> olm.handleKeysClaim(tx, response);
                case TO_DEVICE -> tx.removePendingRequest(requestId);
                case SIGNING_KEYS_UPLOAD -> crossSigner.handleSigningKeysUploaded(tx, requestId);
                case SIGNATURES_UPLOAD -> crossSigner.handleSignaturesUploaded(tx, requestId,
                        (SignaturesUploadRequest) request.body(), response);
            }
            core.queue.remove(requestId);
            if (request.type() == RequestType.KEYS_QUERY || request.type() == RequestType.KEYS_CLAIM) {
                olm.sendUnwedgingDummies(tx);
                sharing.resumePending(tx);
                if (request.type() == RequestType.KEYS_CLAIM) {
                    keyRequests.retryUnanswered(tx);
                    secrets.retryUnanswered(tx);
                }
            }
            return null;
        });
    }

    /**
     * Our device keys, signed, as {@code keys/upload} and {@code keys/query} carry them.
     *
     * @return the signed device-keys object, JSON text
     */
    public synchronized String deviceKeys() {
        return EngineJson.write(accountKeys.deviceKeys());
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
            accountKeys.receiveCounts(tx, changes);
            devices.markChanged(tx, changes.changedUsers());
            List<ToDeviceResult> results = new ArrayList<>();
            for (String json : changes.toDeviceEvents()) {
                JsonNode event = null;
                try {
                    event = EngineJson.parse(json, "a to-device event");
                    results.add(toDevice.receive(tx, event));
                } catch (EngineException | PanolmException e) {
                    // One bad event must not cost the rest of the sync: it is reported, the others go on.
                    results.add(new ToDeviceResult.Failed(EngineJson.text(event, "sender"), e.getMessage()));
                }
            }
            olm.sendUnwedgingDummies(tx);
            verifications.expire(tx); // each sync is a tick: a flow the other side abandoned ends with m.timeout
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
     * @param objectJson the JSON object to sign, JSON text
     * @return the signed copy, JSON text
     * @throws IllegalArgumentException when {@code objectJson} is not a JSON object
     */
    public synchronized String signJson(String objectJson) {
        checkOpen();
        return EngineJson.write(accountKeys.signJson(EngineJson.argument(objectJson, "objectJson")));
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

    // --- devices ------------------------------------------------------------------------------------------------

    /**
     * Tracks the devices of these users (the members of our encrypted rooms): a user not tracked yet is queried.
     *
     * @param users the users
     */
    public synchronized void updateTrackedUsers(Collection<String> users) {
        checkOpen();
        store.transaction(tx -> {
            DeviceTracker.track(tx, users);
            return null;
        });
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
            DeviceTracker.setLocalTrust(tx, user, device);
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
        return store.transaction(tx -> Optional.ofNullable(devices.deviceTrust(tx, user, device)));
    }

    // --- Olm ----------------------------------------------------------------------------------------------------

    /**
     * Queues an Olm-encrypted to-device event for one device, on our most recently used session with it.
     *
     * @param user the device's user
     * @param device the device
     * @param eventType the payload's event type
     * @param contentJson the payload's content, a JSON object as JSON text
     * @throws IllegalArgumentException when {@code contentJson} is not a JSON object
     * @throws EngineException when the device is unknown or we have no Olm session with it yet (a
     *                         {@link #shareRoomKey} to the device establishes one)
     */
    public synchronized void sendToDevice(String user, String device, String eventType, String contentJson) {
        checkOpen();
        ObjectNode content = EngineJson.argument(contentJson, "contentJson");
        store.transaction(tx -> {
            olm.sendToDevice(tx, user, device, eventType, content);
            return null;
        });
    }

    // --- secrets (m.secret.request / m.secret.send), between our own verified devices only ---

    /**
     * Keeps a secret (the backup key {@code m.megolm_backup.v1}, a cross-signing private key, ...) sealed in the
     * store, to be sent to our own verified devices that ask for it. A cross-signing private key
     * ({@code m.cross_signing.master}, {@code .self_signing}, {@code .user_signing}) is kept only when it derives
     * the public key our user published (the last keys/query of our user); the master key then makes our identity
     * trusted here.
     *
     * @param name the secret's name
     * @param value the secret (unpadded base64, as {@code m.secret.send} carries it)
     * @throws EngineException when a cross-signing key does not match the published one, or none is published
     */
    public synchronized void storeSecret(String name, String value) {
        checkOpen();
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        store.transaction(tx -> {
            String mismatch = secrets.checkCrossSigning(tx, name, value);
            if (mismatch != null) throw new EngineException(mismatch);
            Secrets.store(tx, name, value);
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
        return store.transaction(tx -> Secrets.get(tx, name));
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
            secrets.request(tx, name);
            return null;
        });
    }

    // --- room keys and room events ------------------------------------------------------------------------------

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
            sharing.share(tx, roomId, new RoomKeySharing.PendingShare(memberSet, settings), false);
            return null;
        });
    }

    /**
     * Encrypts a room event with the room's current Megolm session ({@link #shareRoomKey} first).
     *
     * @param roomId the room
     * @param eventType the event type
     * @param contentJson the event content, a JSON object as JSON text
     * @return the {@code m.room.encrypted} content to send, JSON text
     * @throws IllegalArgumentException when {@code contentJson} is not a JSON object
     * @throws EngineException when no session was shared in the room, or it needs rotating (share again first)
     */
    public synchronized String encryptRoomEvent(String roomId, String eventType, String contentJson) {
        checkOpen();
        ObjectNode content = EngineJson.argument(contentJson, "contentJson");
        return EngineJson.write(store.transaction(tx -> roomEvents.encrypt(tx, roomId, eventType, content)));
    }

    /**
     * Decrypts a room event with the stored room keys (every held copy of its session is tried, best first).
     *
     * @param eventJson the {@code m.room.encrypted} event ({@code event_id}, {@code sender}, {@code content}), JSON
     *                  text as the server sent it
     * @param roomId the room it was received in
     * @return the plaintext with sender, device, trust and the key's provenance
     * @throws UndecryptableEventException when no key decrypts it (with the withheld code when the sender said why)
     * @throws EngineException when the event is not a JSON object or is malformed (which field)
     */
    public synchronized DecryptedRoomEvent decryptRoomEvent(String eventJson, String roomId) {
        checkOpen();
        if (eventJson == null) throw new IllegalArgumentException("eventJson is null");
        JsonNode event = EngineJson.parse(eventJson, "eventJson");
        if (!event.isObject()) throw new EngineException("eventJson is not a JSON object");
        RoomEvents.checkShape(event);
        Object outcome = store.transaction(tx -> roomEvents.decrypt(tx, event, roomId));
        if (outcome instanceof UndecryptableEventException e) throw e;
        return (DecryptedRoomEvent) outcome;
    }

    /**
     * Puts a room under panolm's do-not-store flag ({@link DoNotStore}), as its {@code m.room.encryption} asks:
     * its sessions, held and future, are never backed up, exported or archived. The flag cannot be cleared.
     *
     * @param roomId the room
     */
    public synchronized void markRoomDoNotStore(String roomId) {
        checkOpen();
        store.transaction(tx -> tx.markRoomDoNotStore(roomId));
    }

    /**
     * Whether a session is under panolm's do-not-store flag, on its own or through its room.
     *
     * @param roomId the session's room
     * @param sessionId the session
     * @return true when its key and its plaintext must not leave this device's store
     */
    public synchronized boolean doNotStore(String roomId, String sessionId) {
        checkOpen();
        return store.transaction(tx -> tx.doNotStore(roomId, sessionId));
    }

    // --- export and import of room keys, streamed ---

    /**
     * Writes every room key in the store but those under the do-not-store flag ({@link DoNotStore}) to an
     * Element-compatible room-key export file, streamed (bounded memory whatever the count), each with its
     * provenance.
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
                    if (tx.doNotStore(r.roomId(), r.sessionId())) return; // never leaves the store
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

    // --- cross-signing ------------------------------------------------------------------------------------------

    /**
     * Sets up our user's cross-signing: three keys (master, self-signing, user-signing) are made and sealed in the
     * store (as the secrets {@code m.cross_signing.*}, so our own verified devices that ask get them), and
     * {@link #outgoingRequests()} gets, in order, our device keys' upload if still due, one
     * {@code keys/device_signing/upload} carrying {@code auth}, and a {@code keys/signatures/upload} of our device
     * signed by the new self-signing key. Keys already held are reused: call it again with new auth when the server
     * answers the upload with a user-interactive-auth challenge (the queued upload is replaced), or after a restart
     * that came before the upload was reported sent (the auth dict is never stored). A device that holds none of
     * the keys makes a new identity, which replaces one our user may already have on the server (as a reset does):
     * a client whose user has one verifies this device with another and lets the keys come as secrets instead.
     *
     * @param authJson the {@code auth} dict of user-interactive authentication (e.g. {@code m.login.password}), a
     *                 JSON object as JSON text, or null for a first upload the server takes without it
     * @throws IllegalArgumentException when {@code authJson} is not a JSON object
     * @throws EngineException when this device holds only some of the three keys (received as secrets)
     */
    public synchronized void bootstrapCrossSigning(@Nullable String authJson) {
        checkOpen();
        String auth = authJson == null ? null : EngineJson.requireObject(authJson, "authJson");
        store.transaction(tx -> {
            crossSigner.bootstrap(tx, accountKeys, auth);
            return null;
        });
    }

    /**
     * A device's trust and its ground: through cross-signing (our signatures and its owner's, as the last keys/query
     * and our own uploads show them), a local mark, or both.
     *
     * @param user the device's user
     * @param device the device
     * @return its verification, or empty when the device is not known
     */
    public synchronized Optional<DeviceVerification> deviceVerification(String user, String device) {
        checkOpen();
        return store.transaction(tx -> Optional.ofNullable(devices.deviceVerification(tx, user, device)));
    }

    /**
     * Whether we verified a user through cross-signing: for another user, our user-signing key signed their master
     * key; for our own user, its master key is the one we trust. A previously verified user whose master key
     * changed shows {@link UserTrust#VERIFICATION_VIOLATION}.
     *
     * @param user the user
     * @return the user's trust
     */
    public synchronized UserTrust userTrust(String user) {
        checkOpen();
        return store.transaction(tx -> devices.userTrust(tx, user));
    }

    /**
     * The signatures the server refused in our {@code keys/signatures/upload} requests since the engine opened.
     *
     * @return the refusals, oldest first
     */
    public synchronized List<SignatureUploadFailure> signatureUploadFailures() {
        checkOpen();
        return crossSigner.failures();
    }

    // --- verification (SAS over to-device events) --------------------------------------------------------------

    /**
     * Starts an SAS verification of one device: an {@code m.key.verification.request} to it is queued. The other
     * side's answers arrive through {@link #receiveSyncChanges}; ours are queued in {@link #outgoingRequests()}.
     *
     * @param user the device's user
     * @param device the device
     * @return the flow id (the {@code transaction_id})
     * @throws EngineException when the device is not known
     */
    public synchronized String requestVerification(String user, String device) {
        checkOpen();
        return store.transaction(tx -> verifications.request(tx, user, device));
    }

    /**
     * The flow ids of the verifications we know of, started here or requested by others (in order of arrival).
     *
     * @return the flow ids
     */
    public synchronized List<String> verifications() {
        checkOpen();
        return verifications.flowIds();
    }

    /**
     * Where a verification is.
     *
     * @param flowId the flow id
     * @return its state
     * @throws EngineException when no verification has this id
     */
    public synchronized SasState verificationState(String flowId) {
        checkOpen();
        return verifications.flow(flowId).state();
    }

    /**
     * The short authentication string to show (as emoji or decimals) once the keys are exchanged.
     *
     * @param flowId the flow id
     * @return the string, empty before the keys are exchanged
     * @throws EngineException when no verification has this id
     */
    public synchronized Optional<ShortAuthenticationString> shortAuthenticationString(String flowId) {
        checkOpen();
        return verifications.flow(flowId).shortAuthenticationString();
    }

    /**
     * Why a verification was cancelled.
     *
     * @param flowId the flow id
     * @return the cancellation, empty unless cancelled
     * @throws EngineException when no verification has this id
     */
    public synchronized Optional<Cancellation> verificationCancellation(String flowId) {
        checkOpen();
        return verifications.flow(flowId).cancellation();
    }

    /**
     * Accepts a verification another device requested ({@code m.key.verification.ready}).
     *
     * @param flowId the flow id
     * @throws EngineException when no verification has this id
     */
    public synchronized void acceptVerification(String flowId) {
        checkOpen();
        store.transaction(tx -> {
            verifications.accept(tx, flowId);
            return null;
        });
    }

    /**
     * Starts SAS on a ready verification ({@code m.key.verification.start}).
     *
     * @param flowId the flow id
     * @throws EngineException when no verification has this id
     */
    public synchronized void startSas(String flowId) {
        checkOpen();
        store.transaction(tx -> {
            verifications.startSas(tx, flowId);
            return null;
        });
    }

    /**
     * The QR code to show for a ready flow whose other device can scan: render its bytes as a QR image (this
     * library draws none). When the other device has scanned it, the flow's state is
     * {@link SasState#QR_RECIPROCATED}: ask our user whether it did, then {@link #confirmVerification}. Its mode
     * follows the flow: another user (needs our cross-signing identity trusted here and theirs known), or our own
     * other device.
     *
     * @param flowId the flow
     * @return the code's bytes (the same on every call)
     * @throws EngineException when no flow has that id
     * @throws IllegalStateException when the flow is not ready, the other device cannot scan, or a master key the
     *         code needs is not known
     */
    public synchronized byte[] qrCode(String flowId) {
        checkOpen();
        return verifications.qrCode(flowId).encode();
    }

    /**
     * The QR code our user scanned on the other device of a ready flow: when it matches the keys we hold, the
     * {@code m.reciprocate.v1} start is queued and the flow waits in {@link SasState#QR_SCANNED} for the other
     * side's {@code done}, which ends it as SAS would (trust and cross-signing signatures); when it does not match,
     * the flow is cancelled with the spec's code.
     *
     * @param flowId the flow
     * @param scanned the code's bytes
     * @throws PanolmException {@code BAD_MESSAGE_FORMAT} when the bytes are not a verification QR code (scan again)
     * @throws EngineException when no flow has that id
     * @throws IllegalStateException when the flow is not ready or the other device shows no codes
     */
    public synchronized void scanQrCode(String flowId, byte[] scanned) {
        checkOpen();
        store.transaction(tx -> {
            verifications.scanQrCode(tx, flowId, scanned);
            return null;
        });
    }

    /**
     * Our user saw the same short authentication string on both devices: our MAC is sent, and once the other
     * side's MAC checks out the device is marked verified. If it is our own other device and we hold the
     * self-signing key, it is signed with it; if it is another user's and their MAC covered the master key the
     * server lists, that key is marked verified and, when we hold the user-signing key, signed with it. After our
     * own other device, the cross-signing keys we lack are requested from our devices ({@code m.secret.request}). The
     * signatures are queued as {@code keys/signatures/upload} ({@link #deviceVerification} tells the ground). In a
     * QR flow ({@link SasState#QR_RECIPROCATED}), our user says the other device scanned our code: {@code done} is
     * sent and the key the code proved counts the same way.
     *
     * @param flowId the flow id
     * @throws EngineException when no verification has this id
     */
    public synchronized void confirmVerification(String flowId) {
        checkOpen();
        store.transaction(tx -> {
            verifications.confirm(tx, flowId);
            return null;
        });
    }

    /**
     * Our user saw different strings: the verification is cancelled with {@code m.mismatched_sas}.
     *
     * @param flowId the flow id
     * @throws EngineException when no verification has this id
     */
    public synchronized void verificationMismatch(String flowId) {
        checkOpen();
        store.transaction(tx -> {
            verifications.mismatch(tx, flowId);
            return null;
        });
    }

    /**
     * Cancels a verification ({@code m.user}).
     *
     * @param flowId the flow id
     * @throws EngineException when no verification has this id
     */
    public synchronized void cancelVerification(String flowId) {
        checkOpen();
        store.transaction(tx -> {
            verifications.cancel(tx, flowId);
            return null;
        });
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("the engine is closed");
    }

    /** Closes the account (the store stays open: the caller owns it). */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        core.account.close();
        java.util.Arrays.fill(core.pickleKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "OlmMachine[" + core.userId + ", " + core.deviceId + "]";
    }
}
