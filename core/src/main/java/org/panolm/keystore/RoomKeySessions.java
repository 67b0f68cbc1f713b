package org.panolm.keystore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.SessionLookup;

/**
 * Room keys as native inbound sessions for the bulk decryptor: every copy of every session, each bound to
 * its room and carrying its provenance. Keys merge exactly as in {@link KeyStore} ({@link SessionCopies}):
 * a copy that connects improves the held one, a copy that does not is kept beside it, so a forged copy can
 * never cost a decryption: the batch tries the best copy first and the others for the messages it fails
 * ({@link SessionLookup#copies}).
 *
 * <p>Lookups go by room and session id. An event whose room holds no copy of its session gets the copies
 * filed under another room, so that it fails as {@code ROOM_MISMATCH} rather than as an unknown session.
 * Thread-safe. {@link #close()} wipes every native session.
 */
public final class RoomKeySessions implements SessionLookup, AutoCloseable {
    /** An empty set of sessions; fill it with {@link #add}. */
    public RoomKeySessions() {
    }

    /** The copies of one session and their native sessions, in the same order. */
    private record Held(SessionCopies copies, List<MegolmInboundSession> natives) {}

    private final Map<SessionRef, Held> held = new LinkedHashMap<>();
    /** Session id to the first room it was filed under, for lookups without a room. */
    private final Map<String, SessionRef> bySessionId = new HashMap<>();
    private final Set<String> rooms = new TreeSet<>();
    private boolean closed;

    /**
     * The sessions of {@code store} that {@code filter} accepts, every copy.
     *
     * @param store the key store
     * @param filter which sessions
     * @return native sessions for them; the caller closes it
     */
    public static RoomKeySessions of(KeyStore store, SessionFilter filter) {
        RoomKeySessions out = new RoomKeySessions();
        try {
            for (SessionCopies copies : store.sessions(filter)) {
                for (RoomKeyRecord r : copies.all()) out.add(r);
            }
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /**
     * Merges one copy in. A copy that cannot become a native session (a room id over 255 bytes, say) throws
     * {@link org.panolm.PanolmException} and leaves everything held as it was.
     *
     * @param record the copy
     * @return what the merge did
     */
    public synchronized SessionCopies.Merge add(RoomKeyRecord record) {
        open();
        SessionRef ref = record.ref();
        Held old = held.get(ref);
        SessionCopies.Merge merge = old == null
                ? new SessionCopies.Merge(SessionCopies.of(record), SessionCopies.Change.ADDED, null)
                : old.copies.merge(record);
        if (old != null && merge.copies() == old.copies) {
            return merge;
        }
        Map<RoomKeyRecord, MegolmInboundSession> reuse = new IdentityHashMap<>();
        if (old != null) {
            for (int i = 0; i < old.copies.all().size(); i++) reuse.put(old.copies.all().get(i), old.natives.get(i));
        }
        List<MegolmInboundSession> natives = new ArrayList<>();
        List<MegolmInboundSession> created = new ArrayList<>();
        try {
            for (RoomKeyRecord r : merge.copies().all()) {
                MegolmInboundSession s = reuse.remove(r);
                if (s == null) {
                    s = MegolmInboundSession.importSession(r.sessionKey(), r.provenance());
                    created.add(s);
                    s.bindToRoom(r.roomId());
                }
                natives.add(s);
            }
        } catch (RuntimeException e) {
            created.forEach(MegolmInboundSession::close);
            throw e;
        }
        reuse.values().forEach(MegolmInboundSession::close); // copies merged away or dropped
        held.put(ref, new Held(merge.copies(), List.copyOf(natives)));
        bySessionId.putIfAbsent(ref.sessionId(), ref);
        rooms.add(ref.roomId());
        return merge;
    }

    /** The best copy of the session, in the first room it was filed under; null when none. */
    @Override
    public synchronized @Nullable MegolmInboundSession find(String sessionId) {
        open();
        SessionRef ref = bySessionId.get(sessionId);
        return ref == null ? null : held.get(ref).natives.get(0);
    }

    @Override
    public synchronized List<MegolmInboundSession> copies(String roomId, String sessionId) {
        open();
        Held h = lookup(roomId, sessionId);
        return h == null ? List.of() : h.natives;
    }

    /**
     * The records of {@link #copies(String, String)}, in the same order.
     *
     * @param roomId the event's room, or null
     * @param sessionId the session id
     * @return the records, the one tried first first; empty when none
     */
    public synchronized List<RoomKeyRecord> records(@Nullable String roomId, String sessionId) {
        open();
        Held h = lookup(roomId, sessionId);
        return h == null ? List.of() : h.copies.all();
    }

    private Held lookup(String roomId, String sessionId) {
        Held h = roomId == null ? null : held.get(new SessionRef(roomId, sessionId));
        if (h == null) {
            SessionRef any = bySessionId.get(sessionId);
            h = any == null ? null : held.get(any);
        }
        return h;
    }

    /**
     * Every copy held of one session.
     *
     * @param ref the session
     * @return its copies, best first; empty when none
     */
    public synchronized List<RoomKeyRecord> copies(SessionRef ref) {
        open();
        Held h = held.get(Objects.requireNonNull(ref, "ref"));
        return h == null ? List.of() : h.copies.all();
    }

    /**
     * The sessions held in copies that do not connect.
     *
     * @return those sessions
     */
    public synchronized List<SessionRef> conflicts() {
        open();
        return held.entrySet().stream().filter(e -> e.getValue().copies.conflicted()).map(Map.Entry::getKey).toList();
    }

    /**
     * Number of sessions (a session in several copies counts once).
     *
     * @return the count
     */
    public synchronized int size() {
        open();
        return held.size();
    }

    /**
     * The rooms the sessions belong to.
     *
     * @return the room ids, sorted
     */
    public synchronized List<String> rooms() {
        open();
        return List.copyOf(rooms);
    }

    private void open() {
        if (closed) throw new IllegalStateException("room key sessions are closed");
    }

    /** Wipes every native session. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (Held h : held.values()) h.natives.forEach(MegolmInboundSession::close);
        held.clear();
        bySessionId.clear();
    }
}
