package org.panolm.cli.keys;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.panolm.PanolmException;
import org.panolm.export.ExportedRoomKey;
import org.panolm.megolm.ExportedSessionKey;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.SessionLookup;

/**
 * The Megolm sessions a run may use, by session id, each bound to the room its key names (so an event of
 * another room fails with ROOM_MISMATCH). When a session comes twice the key reaching further back (the
 * lower first index) is kept. Keys that cannot be used are counted with their reason instead of stopping
 * the run. Closing wipes every session.
 */
public final class KeyRing implements SessionLookup, KeySink, AutoCloseable {
    /** A session and what its key file said about it. */
    private record Held(MegolmInboundSession session, String senderKey) {}

    private final Map<String, Held> sessions = new HashMap<>();
    private final Set<String> rooms = new TreeSet<>();
    private final List<String> rejected = new ArrayList<>();
    private long rejectedCount;

    /**
     * Adds one key; returns false (and remembers why) when it cannot be used.
     *
     * @param where names the key for messages ("keys.json key 12")
     */
    public boolean add(ExportedRoomKey key, String where) {
        if (key == null) {
            reject(where, "not a room key object");
            return false;
        }
        String problem = problem(key);
        if (problem != null) {
            reject(where, problem);
            return false;
        }
        ExportedSessionKey exported;
        try {
            exported = key.exportedSessionKey();
        } catch (PanolmException e) {
            reject(where + " (session " + key.sessionId() + ")", e.getMessage());
            return false;
        }
        if (!exported.sessionId().equals(key.sessionId())) {
            reject(where, "session_id " + key.sessionId() + " is not the session its session_key belongs to ("
                    + exported.sessionId() + ")");
            return false;
        }
        Held existing = sessions.get(key.sessionId());
        if (existing != null && existing.session().firstKnownIndex() <= exported.firstIndex()) {
            return true; // what we hold already reaches at least as far back
        }
        MegolmInboundSession session = MegolmInboundSession.importSession(exported);
        try {
            session.bindToRoom(key.roomId());
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        if (existing != null) {
            existing.session().close();
        }
        sessions.put(key.sessionId(), new Held(session, key.senderKey()));
        rooms.add(key.roomId());
        return true;
    }

    @Override
    public void key(ExportedRoomKey key, String where) {
        add(key, where);
    }

    @Override
    public void rejected(String where, String why) {
        reject(where, why);
    }

    private static String problem(ExportedRoomKey key) {
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

    @Override
    public MegolmInboundSession find(String sessionId) {
        Held h = sessions.get(sessionId);
        return h == null ? null : h.session();
    }

    /** The Curve25519 key of the device that created the session, as the key file says; null if unknown. */
    public String senderKey(String sessionId) {
        Held h = sessions.get(sessionId);
        return h == null ? null : h.senderKey();
    }

    public int size() {
        return sessions.size();
    }

    /** The rooms the keys are for, sorted. */
    public List<String> rooms() {
        return List.copyOf(rooms);
    }

    public long rejectedCount() {
        return rejectedCount;
    }

    /** The first few rejections, each naming the key and the reason. */
    public List<String> rejectedExamples() {
        return List.copyOf(rejected);
    }

    @Override
    public void close() {
        for (Held h : sessions.values()) {
            h.session().close();
        }
        sessions.clear();
    }
}
