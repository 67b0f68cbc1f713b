package org.panolm.engine.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.panolm.keystore.ImportSummary;
import org.panolm.keystore.RoomKeyRecord;

/** The reads and writes of one {@link CryptoStore#transaction}. Valid only inside it. */
public interface StoreTransaction {

    /**
     * A named value of the engine's own (the account pickle, its settings).
     *
     * @param name the name
     * @return the value, if stored
     */
    Optional<byte[]> value(String name);

    /**
     * Stores a named value.
     *
     * @param name the name
     * @param value the value (sealed at rest)
     */
    void putValue(String name, byte[] value);

    /**
     * The Olm sessions with one device.
     *
     * @param senderKey the device's Curve25519 key
     * @return its sessions, most recently used first
     */
    List<OlmSessionRecord> olmSessions(String senderKey);

    /**
     * Stores (or replaces) an Olm session.
     *
     * @param session the session
     */
    void putOlmSession(OlmSessionRecord session);

    /**
     * Adds a room key, merging it with the copies of the same session already held as
     * {@link org.panolm.keystore.MergeRule} orders them (a copy that connects improves the held one; one that does
     * not is kept beside it).
     *
     * @param key the key with its provenance
     * @return what changed
     */
    RoomKeyAdded addRoomKey(RoomKeyRecord key);

    /**
     * Adds room keys one by one ({@link #addRoomKey}) and counts what each did: the one place a batch of keys
     * (restored, imported from a file) goes into the store.
     *
     * @param keys the keys with their provenance
     * @return how many were new, improved a held copy, or changed nothing
     */
    default ImportSummary addRoomKeys(Collection<RoomKeyRecord> keys) {
        int added = 0, improved = 0, unchanged = 0;
        for (RoomKeyRecord k : keys) {
            switch (addRoomKey(k)) {
                case NEW -> added++;
                case IMPROVED -> improved++;
                case UNCHANGED -> unchanged++;
            }
        }
        return new ImportSummary(added, improved, unchanged, 0, 0, 0, 0);
    }

    /**
     * The copies held of one session.
     *
     * @param roomId the room
     * @param sessionId the session id
     * @return the copies, best first
     */
    List<RoomKeyRecord> roomKeys(String roomId, String sessionId);

    /**
     * Streams every room key, one at a time (bounded memory whatever the count).
     *
     * @param sink receives each key
     */
    void forEachRoomKey(Consumer<RoomKeyRecord> sink);

    /**
     * The next room keys (copies) not marked as in backup {@code version} and not under the do-not-store flag
     * ({@link #doNotStore}), in store order, after the position
     * {@code after} ({@code 0} to start); a caller pages on with the last one's {@link PendingBackupKey#position()}.
     * Bounded memory: at most {@code max} keys are read.
     *
     * @param version the backup version
     * @param after the position to continue after
     * @param max how many to return at most
     * @return the keys, in store order
     */
    List<PendingBackupKey> notBackedUp(String version, long after, int max);

    /**
     * Marks the held copies equal to {@code uploaded} (same session, first known index and forwarded count) as in
     * backup {@code version}. A copy improved since it was read stays unmarked, so it is uploaded again; adding a
     * better copy of a session ({@link #addRoomKey}) clears its marks.
     *
     * @param version the backup version the server accepted them into
     * @param uploaded the copies sent (or restored from that version)
     * @return how many rows were newly marked
     */
    int markBackedUp(String version, java.util.Collection<RoomKeyRecord> uploaded);

    /**
     * Forgets every mark of backup {@code version} (it was deleted).
     *
     * @param version the backup version
     */
    void forgetBackupVersion(String version);

    /**
     * Puts a Megolm session under the do-not-store flag: it is never offered for backup ({@link #notBackedUp})
     * and callers must not export or archive it. There is no way to clear the flag.
     *
     * @param roomId the session's room
     * @param sessionId the session
     * @return true when the flag is new
     */
    boolean markDoNotStore(String roomId, String sessionId);

    /**
     * Whether a session is under the do-not-store flag, on its own or through its room.
     *
     * @param roomId the session's room
     * @param sessionId the session
     * @return true when it must not be backed up, exported or archived
     */
    boolean doNotStore(String roomId, String sessionId);

    /**
     * Puts a room under the do-not-store flag: every session of it, held now or added later, is flagged.
     * There is no way to clear the flag.
     *
     * @param roomId the room
     * @return true when the flag is new
     */
    boolean markRoomDoNotStore(String roomId);

    /**
     * Whether a room is under the do-not-store flag.
     *
     * @param roomId the room
     * @return true when its sessions must not be backed up, exported or archived
     */
    boolean roomDoNotStore(String roomId);

    /**
     * How many room keys (copies) are held.
     *
     * @return the count
     */
    long roomKeyCount();

    /**
     * Our current Megolm session in a room.
     *
     * @param roomId the room
     * @return the session, if there is one
     */
    Optional<OutboundGroupSessionRecord> outboundGroupSession(String roomId);

    /**
     * Stores (or replaces) our current Megolm session in its room.
     *
     * @param session the session
     */
    void putOutboundGroupSession(OutboundGroupSessionRecord session);

    /**
     * Forgets our current Megolm session in a room (the next message rotates).
     *
     * @param roomId the room
     */
    void removeOutboundGroupSession(String roomId);

    /**
     * The known devices of a user.
     *
     * @param userId the user
     * @return the devices, deleted ones included
     */
    List<DeviceRecord> devices(String userId);

    /**
     * Stores (or replaces) a device.
     *
     * @param device the device
     */
    void putDevice(DeviceRecord device);

    /**
     * A user's cross-signing keys.
     *
     * @param userId the user
     * @return the identity, if known
     */
    Optional<IdentityRecord> identity(String userId);

    /**
     * Stores (or replaces) a user's cross-signing keys.
     *
     * @param identity the identity
     */
    void putIdentity(IdentityRecord identity);

    /**
     * The users whose devices are tracked, each with whether its device list is outdated.
     *
     * @return user id to outdated
     */
    Map<String, Boolean> trackedUsers();

    /**
     * Tracks a user, or marks a tracked one as up to date or outdated.
     *
     * @param userId the user
     * @param outdated whether its device list must be queried again
     */
    void putTrackedUser(String userId, boolean outdated);

    /**
     * Records that a to-device message was handled, so that a redelivery is recognised.
     *
     * @param messageKey what identifies the message (its sender key and ciphertext digest, say)
     * @return true when it was not seen before
     */
    boolean markToDeviceProcessed(String messageKey);

    /**
     * The outgoing requests not yet reported sent, oldest first.
     *
     * @return the requests
     */
    List<PendingRequest> pendingRequests();

    /**
     * Stores an outgoing request until it is reported sent.
     *
     * @param request the request
     */
    void putPendingRequest(PendingRequest request);

    /**
     * Forgets a request reported sent.
     *
     * @param id its id
     * @return whether it was pending
     */
    boolean removePendingRequest(String id);
}
