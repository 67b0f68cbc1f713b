package org.panolm.keystore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.panolm.export.ExportedRoomKey;

/** The rule as issue 4 states it: lower first index, then verified, then lower forwarded count; ties keep what is held. */
class MergeRuleTest {
    private static final ExportedRoomKey KEY = RoomKeyFixtures.randomKey("!m:hs", 0);

    private static RoomKeyRecord r(long index, boolean verified, long forwarded) {
        return new RoomKeyRecord(KEY, index, verified, forwarded);
    }

    /** held, incoming, whether incoming replaces held. */
    private static final Object[][] TABLE = {
            {r(5, false, 0), r(3, false, 9), true},   // lower index wins over everything else
            {r(3, true, 0), r(5, false, 0), false},   // a higher index loses even when the held copy is unverified...
            {r(3, false, 0), r(5, true, 0), false},   // ...and even when the incoming copy is verified
            {r(3, false, 0), r(3, true, 5), true},    // same index: verified wins over forwarded count
            {r(3, true, 0), r(3, false, 0), false},   // same index: unverified never replaces verified
            {r(3, true, 2), r(3, true, 1), true},     // same index and verification: fewer forwards win
            {r(3, false, 1), r(3, false, 2), false},
            {r(3, true, 1), r(3, true, 1), false},    // complete tie: the held copy stays
            {r(0, false, 0), r(0, false, 0), false},
    };

    @Test
    void table() {
        for (Object[] row : TABLE) {
            RoomKeyRecord held = (RoomKeyRecord) row[0];
            RoomKeyRecord incoming = (RoomKeyRecord) row[1];
            boolean replaces = (Boolean) row[2];
            assertEquals(replaces, MergeRule.isBetter(incoming, held), () -> held + " vs " + incoming);
            assertSame(replaces ? incoming : held, MergeRule.keep(held, incoming));
        }
        RoomKeyRecord only = r(1, false, 0);
        assertSame(only, MergeRule.keep(null, only));
    }

    @Test
    void theComparatorIsATotalOrderConsistentWithTheTable() {
        RoomKeyRecord best = r(0, true, 0);
        RoomKeyRecord worst = r(9, false, 9);
        assertEquals(-1, Integer.signum(MergeRule.BETTER_FIRST.compare(best, worst)));
        assertEquals(1, Integer.signum(MergeRule.BETTER_FIRST.compare(worst, best)));
        assertEquals(0, MergeRule.BETTER_FIRST.compare(r(4, true, 2), r(4, true, 2)));
    }
}
