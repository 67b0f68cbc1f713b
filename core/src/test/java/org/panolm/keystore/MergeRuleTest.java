package org.panolm.keystore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.panolm.export.ExportedRoomKey;
import org.panolm.megolm.KeyProvenance;

/**
 * The spec's order (authenticated, then lower index, then fewer forwards) and the merge of two copies of one
 * ratchet: the lower index's ratchet with the better-trusted copy's metadata.
 */
class MergeRuleTest {
    private static final KeyProvenance AUTH = RoomKeyFixtures.AUTHENTICATED;
    private static final KeyProvenance UNAUTH = RoomKeyFixtures.UNAUTHENTICATED;
    private static final ExportedRoomKey KEY = RoomKeyFixtures.randomKey("!m:hs", 0);

    private static RoomKeyRecord r(long index, boolean authenticated, long forwarded) {
        return RoomKeyRecord.of(RoomKeyFixtures.sameSession(KEY, index), authenticated ? AUTH : UNAUTH, forwarded);
    }

    /** a, b, sign of compare(a, b). */
    private static final Object[][] ORDER = {
            {r(5, true, 0), r(0, false, 0), -1},   // authenticated first, whatever the index
            {r(0, false, 0), r(5, true, 9), 1},
            {r(3, false, 9), r(5, false, 0), -1},  // then the lower index
            {r(3, true, 2), r(3, true, 1), 1},     // then fewer forwards
            {r(3, true, 1), r(3, true, 1), 0},
    };

    @Test
    void theSpecsOrder() {
        for (Object[] row : ORDER) {
            RoomKeyRecord a = (RoomKeyRecord) row[0];
            RoomKeyRecord b = (RoomKeyRecord) row[1];
            assertEquals((int) row[2], Integer.signum(MergeRule.BETTER_FIRST.compare(a, b)), () -> a + " vs " + b);
            assertEquals((int) row[2] < 0, MergeRule.isBetter(a, b));
        }
    }

    @Test
    void connectedCopiesMergeRatchetAndTrustIndependently() {
        RoomKeyRecord authLate = r(5, true, 0);
        RoomKeyRecord unauthEarly = r(2, false, 3);
        assertTrue(MergeRule.sameSession(authLate, unauthEarly));
        for (var pair : new RoomKeyRecord[][] {{authLate, unauthEarly}, {unauthEarly, authLate}}) {
            RoomKeyRecord m = MergeRule.mergeConnected(pair[0], pair[1]);
            assertEquals(2, m.firstKnownIndex(), "the lower index's ratchet");
            assertEquals(unauthEarly.key().sessionKey(), m.key().sessionKey());
            assertEquals(AUTH, m.provenance(), "the authenticated provenance");
            assertEquals(0, m.forwardedCount());
        }
        RoomKeyRecord held = r(4, false, 1);
        assertSame(held, MergeRule.mergeConnected(held, r(4, false, 1)), "a tie keeps what is held");
        assertSame(held, MergeRule.mergeConnected(held, r(9, false, 2)), "nothing better");
        RoomKeyRecord fewerForwards = MergeRule.mergeConnected(held, r(9, false, 0));
        assertEquals(4, fewerForwards.firstKnownIndex());
        assertEquals(0, fewerForwards.forwardedCount());
    }

    /** The engine upgrades a key's trust (its sender's device got verified) by merging a better-trusted copy. */
    @Test
    void aVerifiedSenderGoesBeforeAnUnverifiedOneAndUpgradesAConnectedCopy() {
        KeyProvenance verified = new KeyProvenance.ReceivedOverOlm("@alice:example.org", "ALICE",
                "3C5BFWi2Y8MaVvjM8M22DBmh24PmgR0nPvJOIArzgyI", KeyProvenance.DeviceCheck.VERIFIED);
        RoomKeyRecord held = r(3, true, 0);
        RoomKeyRecord upgrade = RoomKeyRecord.of(RoomKeyFixtures.sameSession(KEY, 3), verified, 0);
        assertTrue(MergeRule.isBetter(upgrade, held));
        RoomKeyRecord merged = MergeRule.mergeConnected(held, upgrade);
        assertEquals(verified, merged.provenance());
        assertSame(merged, MergeRule.mergeConnected(merged, held), "and it is not downgraded again");
    }

    @Test
    void aForgedCopyIsNotTheSameSession() {
        RoomKeyRecord genuine = r(5, false, 0);
        RoomKeyRecord forged = RoomKeyRecord.of(RoomKeyFixtures.forged(KEY, 0), UNAUTH, 0);
        assertEquals(genuine.ref(), forged.ref());
        assertFalse(MergeRule.sameSession(genuine, forged));
        assertFalse(MergeRule.sameSession(forged, genuine));
        // Another claimed creator is another session too, even on the same ratchet.
        RoomKeyRecord otherSender = RoomKeyRecord.of(new ExportedRoomKey(KEY.algorithm(), KEY.roomId(),
                "somebodyElse", KEY.sessionId(), genuine.key().sessionKey(), KEY.senderClaimedKeys(), null, null),
                UNAUTH, 0);
        assertFalse(MergeRule.sameSession(genuine, otherSender));
    }
}
