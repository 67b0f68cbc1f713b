package org.panolm.engine.store;

/** What adding a room key to the store did. */
public enum RoomKeyAdded {
    /** A new session, or a copy that does not connect to the held ones (kept beside them). */
    NEW,
    /** Merged into a held copy of the same session, which it improved (a lower index or a better provenance). */
    IMPROVED,
    /** The held copy was as good or better: nothing changed. */
    UNCHANGED
}
