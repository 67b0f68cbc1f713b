package org.panolm.keystore;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Every copy held of one session (one room, one session id), best first by {@link MergeRule#BETTER_FIRST}.
 * Copies whose ratchets connect are merged into one ({@link MergeRule#mergeConnected}); copies that do not
 * connect are a <em>conflict</em>: at most one of them can be the sender's, and nothing here can tell which
 * unless one is authenticated, so all are kept (up to {@link #MAX_COPIES}) and a decryptor tries each. The
 * first is the one to use first, to export and to back up. Immutable.
 */
public final class SessionCopies {
    /** Copies kept of one session; past this the worst one is dropped, and the merge says which. */
    public static final int MAX_COPIES = 8;

    /** What a merge did. */
    public enum Change {
        /** The session was not held before. */
        ADDED,
        /** The incoming copy connected and made the held copy better (a lower index, or better trusted). */
        IMPROVED,
        /** The incoming copy connected and added nothing. */
        UNCHANGED,
        /** The incoming copy does not connect to any copy held: it is kept beside them. */
        CONFLICT,
        /** The incoming copy does not connect and is worse than the {@value #MAX_COPIES} copies held: dropped. */
        REFUSED
    }

    /**
     * The result of {@link #merge}.
     *
     * @param copies  the copies after the merge
     * @param change  what happened
     * @param dropped a copy no longer kept (the incoming one when {@link Change#REFUSED}, else a held copy
     *                pushed out by a better conflicting one), or null
     */
    public record Merge(SessionCopies copies, Change change, @Nullable RoomKeyRecord dropped) {
    }

    private final List<RoomKeyRecord> copies;

    private SessionCopies(List<RoomKeyRecord> copies) {
        this.copies = List.copyOf(copies);
    }

    /**
     * A session held in one copy.
     *
     * @param first the copy
     * @return the copies
     */
    public static SessionCopies of(RoomKeyRecord first) {
        return new SessionCopies(List.of(Objects.requireNonNull(first, "first")));
    }

    /**
     * Copies as a store reads them back: merged one by one, so whatever was written, the invariants hold.
     *
     * @param copies the copies of one session, at least one
     * @return the copies, merged
     */
    public static SessionCopies of(List<RoomKeyRecord> copies) {
        if (copies.isEmpty()) throw new IllegalArgumentException("no copies");
        SessionCopies all = of(copies.get(0));
        for (RoomKeyRecord r : copies.subList(1, copies.size())) all = all.merge(r).copies();
        return all;
    }

    /**
     * The copy to use, export and back up first.
     *
     * @return the best copy
     */
    public RoomKeyRecord best() {
        return copies.get(0);
    }

    /**
     * Every copy.
     *
     * @return the copies, best first
     */
    public List<RoomKeyRecord> all() {
        return copies;
    }

    /**
     * Whether copies that do not connect are held: at most one of them is the sender's.
     *
     * @return true when more than one copy is held
     */
    public boolean conflicted() {
        return copies.size() > 1;
    }

    /**
     * The session's room and id.
     *
     * @return the reference
     */
    public SessionRef ref() {
        return best().ref();
    }

    /**
     * Merges another copy in.
     *
     * @param incoming a copy of the same session (same room and session id)
     * @return the copies after the merge and what it did
     */
    public Merge merge(RoomKeyRecord incoming) {
        if (!incoming.ref().equals(ref())) {
            throw new IllegalArgumentException("a copy of " + incoming.ref() + " cannot merge into " + ref());
        }
        for (int i = 0; i < copies.size(); i++) {
            RoomKeyRecord held = copies.get(i);
            if (MergeRule.sameSession(held, incoming)) {
                // At most one held copy connects: two that both connected to it would connect to each other.
                RoomKeyRecord merged = MergeRule.mergeConnected(held, incoming);
                if (merged == held) {
                    return new Merge(this, Change.UNCHANGED, null);
                }
                List<RoomKeyRecord> next = new ArrayList<>(copies);
                next.set(i, merged);
                next.sort(MergeRule.BETTER_FIRST);
                return new Merge(new SessionCopies(next), Change.IMPROVED, null);
            }
        }
        List<RoomKeyRecord> next = new ArrayList<>(copies);
        next.add(incoming);
        next.sort(MergeRule.BETTER_FIRST); // stable: on a tie the copies held first stay first
        if (next.size() <= MAX_COPIES) {
            return new Merge(new SessionCopies(next), Change.CONFLICT, null);
        }
        RoomKeyRecord worst = next.remove(next.size() - 1);
        return worst == incoming ? new Merge(this, Change.REFUSED, incoming)
                : new Merge(new SessionCopies(next), Change.CONFLICT, worst);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionCopies s && copies.equals(s.copies);
    }

    @Override
    public int hashCode() {
        return copies.hashCode();
    }

    @Override
    public String toString() {
        return "SessionCopies" + copies;
    }
}
