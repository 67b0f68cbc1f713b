package org.panolm.keystore;

import java.util.Comparator;

/**
 * Which copy of a session to keep when it is present twice (an import, a restore or a backup upload meets
 * one already held), as issue 4 states the rule: the lower first message index wins (it decrypts more
 * history); on equal indices the verified copy wins; then the lower forwarded count (fewer hands); on a
 * complete tie the copy already held stays, so re-importing the same key changes nothing.
 */
public final class MergeRule {
    private MergeRule() {}

    /** Orders better copies first. */
    public static final Comparator<RoomKeyRecord> BETTER_FIRST = (a, b) -> compare(
            a.firstKnownIndex(), a.verified(), a.forwardedCount(), b.firstKnownIndex(), b.verified(), b.forwardedCount());

    /**
     * The copy to keep: {@code held} unless {@code incoming} is strictly better. {@code held} may be null.
     *
     * @param held the copy held, or null
     * @param incoming the copy offered
     * @return the copy to keep
     */
    public static RoomKeyRecord keep(RoomKeyRecord held, RoomKeyRecord incoming) {
        if (held == null) return incoming;
        return isBetter(incoming, held) ? incoming : held;
    }

    /**
     * True when {@code candidate} is strictly better than {@code than}.
     *
     * @param candidate a copy
     * @param than another copy of the same session
     * @return whether {@code candidate} is strictly better
     */
    public static boolean isBetter(RoomKeyRecord candidate, RoomKeyRecord than) {
        return BETTER_FIRST.compare(candidate, than) < 0;
    }

    /** Negative when copy a is better than copy b, zero on a tie. */
    static int compare(long indexA, boolean verifiedA, long forwardedA, long indexB, boolean verifiedB, long forwardedB) {
        int c = Long.compare(indexA, indexB);
        if (c != 0) return c;
        c = Boolean.compare(verifiedB, verifiedA);
        if (c != 0) return c;
        return Long.compare(forwardedA, forwardedB);
    }
}
