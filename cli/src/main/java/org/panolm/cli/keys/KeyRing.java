package org.panolm.cli.keys;

import java.util.ArrayList;
import java.util.List;

import org.panolm.PanolmException;
import org.panolm.cli.Errors;
import org.panolm.export.ExportedRoomKey;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.RoomKeySessions;
import org.panolm.keystore.SessionCopies;
import org.panolm.megolm.KeyProvenance;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.SessionLookup;

/**
 * The Megolm sessions a run may use, each bound to the room its key names (so an event of another room
 * fails with ROOM_MISMATCH) and carrying where its key came from. Keys merge as the key store merges them
 * ({@link RoomKeySessions}): a copy that connects to a held one improves it; a copy that does not (a
 * forged or corrupted key under the right session id) is kept beside it and the decryptor tries both, so
 * no key file can cost a decryption. Keys that cannot be used are counted with their reason instead of
 * stopping the run. Closing wipes every session.
 */
public final class KeyRing implements SessionLookup, KeySink, AutoCloseable {
    private final RoomKeySessions sessions = new RoomKeySessions();
    private final List<String> rejected = new ArrayList<>();
    private long rejectedCount;
    private long conflicts;
    private final java.util.Set<String> withheld = new java.util.HashSet<>();

    /**
     * Adds one key; returns false (and remembers why) when it cannot be used.
     *
     * @param where names the key for messages ("keys.json key 12")
     */
    public boolean add(ExportedRoomKey key, KeyProvenance provenance, String where) {
        if (key == null) {
            reject(where, "not a room key object");
            return false;
        }
        String problem = problem(key);
        if (problem != null) {
            reject(where, problem);
            return false;
        }
        RoomKeyRecord record;
        try {
            record = RoomKeyRecord.of(key, provenance, key.forwardingCurve25519KeyChain().size());
        } catch (PanolmException e) {
            reject(where + " (session " + key.sessionId() + ")", reason(e));
            return false;
        }
        return add(record, where);
    }

    /** Adds a record (with its provenance); returns false (and remembers why) when it cannot be used. */
    public boolean add(RoomKeyRecord record, String where) {
        try {
            SessionCopies.Merge merge = sessions.add(record);
            if (merge.change() == SessionCopies.Change.CONFLICT || merge.change() == SessionCopies.Change.REFUSED) {
                conflicts++;
            }
            if (merge.change() == SessionCopies.Change.REFUSED) {
                reject(where + " (session " + record.sessionId() + ")", "the session already has "
                        + SessionCopies.MAX_COPIES + " better copies that do not connect to this one");
                return false;
            }
            return true;
        } catch (PanolmException e) {
            // A key that cannot become a session (a room id over 255 bytes, say) is one rejected key.
            reject(where + " (session " + record.sessionId() + ")", reason(e));
            return false;
        }
    }

    private static String reason(PanolmException e) {
        return Errors.keyProblem(e);
    }

    @Override
    public void key(ExportedRoomKey key, KeyProvenance provenance, String where) {
        add(key, provenance, where);
    }

    @Override
    public void rejected(String where, String why) {
        reject(where, why);
    }

    /**
     * What makes a key unusable before its session key is even read, or null.
     *
     * @param key the key
     * @return the reason (no key material), or null
     */
    public static String problem(ExportedRoomKey key) {
        if (!ExportedRoomKey.MEGOLM_V1.equals(key.algorithm())) {
            return "algorithm is " + (key.algorithm() == null ? "missing" : key.algorithm()) + ", not "
                    + ExportedRoomKey.MEGOLM_V1;
        }
        if (key.roomId() == null || key.roomId().isEmpty()) {
            return "room_id is missing";
        }
        if (key.sessionId() == null || key.sessionId().isEmpty()) {
            return "session_id is missing";
        }
        if (key.sessionKey() == null) {
            return "session_key is missing";
        }
        return null;
    }

    private void reject(String where, String why) {
        rejectedCount++;
        if (rejected.size() < 5) {
            rejected.add(where + ": " + why);
        }
    }

    /**
     * Marks a session as under the do-not-store flag: it is not held, and its events are withheld rather than
     * reported as of an unknown session.
     *
     * @param roomId its room
     * @param sessionId the session
     */
    public void withhold(String roomId, String sessionId) {
        withheld.add(roomId + "\u0000" + sessionId);
    }

    /**
     * @param roomId the event's room
     * @param sessionId the event's session
     * @return whether that session is withheld ({@link #withhold})
     */
    public boolean withheld(String roomId, String sessionId) {
        return !withheld.isEmpty() && withheld.contains(roomId + "\u0000" + sessionId);
    }

    @Override
    public MegolmInboundSession find(String sessionId) {
        return sessions.find(sessionId);
    }

    @Override
    public List<MegolmInboundSession> copies(String roomId, String sessionId) {
        return sessions.copies(roomId, sessionId);
    }

    /** The records of {@link #copies}, in the same order (what each copy's key file said about it). */
    public List<RoomKeyRecord> records(String roomId, String sessionId) {
        return sessions.records(roomId, sessionId);
    }

    public int size() {
        return sessions.size();
    }

    /** The rooms the keys are for, sorted. */
    public List<String> rooms() {
        return sessions.rooms();
    }

    public long rejectedCount() {
        return rejectedCount;
    }

    /** The first few rejections, each naming the key and the reason. */
    public List<String> rejectedExamples() {
        return List.copyOf(rejected);
    }

    /** How many keys arrived that do not connect to a copy already held of their session. */
    public long conflicts() {
        return conflicts;
    }

    /** The sessions held in copies that do not connect. */
    public int conflictedSessions() {
        return sessions.conflicts().size();
    }

    @Override
    public void close() {
        sessions.close();
    }
}
