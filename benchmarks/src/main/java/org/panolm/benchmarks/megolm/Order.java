package org.panolm.benchmarks.megolm;

/** The order in which a client meets a room's messages. */
public enum Order {
    /** As they were sent: live traffic, or history paged forwards. */
    IN_ORDER,
    /** Newest first: history paged backwards, as clients load it (each message a ratchet seek). */
    NEWEST_FIRST;

    public int position(int i, int count) {
        return this == IN_ORDER ? i : count - 1 - i;
    }
}
