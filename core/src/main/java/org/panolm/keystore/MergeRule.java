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
    public static final Comparator<RoomKeyRecord> BETTER_FIRST = Comparator
            .comparingLong(RoomKeyRecord::firstKnownIndex)
            .thenComparing(RoomKeyRecord::verified, Comparator.reverseOrder())
            .thenComparingLong(RoomKeyRecord::forwardedCount);

    /** The copy to keep: {@code held} unless {@code incoming} is strictly better. {@code held} may be null. */
    public static RoomKeyRecord keep(RoomKeyRecord held, RoomKeyRecord incoming) {
        if (held == null) return incoming;
        return isBetter(incoming, held) ? incoming : held;
    }

    /** True when {@code candidate} is strictly better than {@code than}. */
    public static boolean isBetter(RoomKeyRecord candidate, RoomKeyRecord than) {
        return BETTER_FIRST.compare(candidate, than) < 0;
    }
}
