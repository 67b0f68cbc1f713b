package org.panolm.keystore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import org.panolm.export.ExportedRoomKey;
import org.panolm.keystore.SessionCopies.Change;

/** Copies of one session: connected ones merge, the others are kept beside each other, within a bound. */
class SessionCopiesTest {
    private static final ExportedRoomKey KEY = RoomKeyFixtures.randomKey("!s:hs", 0);

    private static RoomKeyRecord genuine(long index, boolean authenticated) {
        return RoomKeyRecord.of(RoomKeyFixtures.sameSession(KEY, index),
                authenticated ? RoomKeyFixtures.AUTHENTICATED : RoomKeyFixtures.UNAUTHENTICATED, 0);
    }

    private static RoomKeyRecord forged(long index) {
        return RoomKeyRecord.of(RoomKeyFixtures.forged(KEY, index), RoomKeyFixtures.UNAUTHENTICATED, 0);
    }

    @Test
    void connectedCopiesMergeAndOthersConflict() {
        SessionCopies c = SessionCopies.of(genuine(10, false));
        SessionCopies.Merge m = c.merge(genuine(12, false));
        assertEquals(Change.UNCHANGED, m.change());
        assertSame(c, m.copies());
        m = c.merge(genuine(4, false));
        assertEquals(Change.IMPROVED, m.change());
        assertEquals(4, m.copies().best().firstKnownIndex());
        RoomKeyRecord f = forged(0);
        m = m.copies().merge(f);
        assertEquals(Change.CONFLICT, m.change());
        assertTrue(m.copies().conflicted());
        assertEquals(List.of(f, genuine(4, false)), m.copies().all(), "unauthenticated copies: the lower index first");
        // The genuine chain still improves through the conflict, and an authenticated copy goes first.
        m = m.copies().merge(genuine(6, true));
        assertEquals(Change.IMPROVED, m.change());
        RoomKeyRecord best = m.copies().best();
        assertEquals(4, best.firstKnownIndex());
        assertTrue(best.authenticated());
        assertSame(f, m.copies().all().get(1));
        assertThrows(IllegalArgumentException.class,
                () -> SessionCopies.of(genuine(1, false)).merge(RoomKeyFixtures.record("!s:hs", 0, RoomKeyFixtures.UNAUTHENTICATED, 0)));
    }

    /** However many forged copies arrive, in whatever order, the authenticated genuine copy is never dropped. */
    @Test
    void theCopiesAreBoundedAndTheAuthenticatedOneIsNeverPushedOut() {
        Random random = new Random(12);
        for (int round = 0; round < 20; round++) {
            List<RoomKeyRecord> arriving = new ArrayList<>();
            RoomKeyRecord real = genuine(50, true);
            arriving.add(real);
            for (int i = 0; i < 12; i++) arriving.add(forged(random.nextInt(40)));
            Collections.shuffle(arriving, random);
            SessionCopies c = SessionCopies.of(arriving.get(0));
            int refused = 0, evicted = 0;
            for (RoomKeyRecord r : arriving.subList(1, arriving.size())) {
                SessionCopies.Merge m = c.merge(r);
                if (m.change() == Change.REFUSED) {
                    refused++;
                    assertSame(r, m.dropped());
                } else if (m.dropped() != null) {
                    evicted++;
                } else {
                    assertNull(m.dropped());
                }
                c = m.copies();
            }
            assertEquals(SessionCopies.MAX_COPIES, c.all().size());
            assertEquals(arriving.size() - SessionCopies.MAX_COPIES, refused + evicted);
            assertSame(real, c.best());
        }
    }

    @Test
    void readingBackKeepsTheInvariants() {
        RoomKeyRecord f = forged(0);
        SessionCopies c = SessionCopies.of(List.of(genuine(9, false), genuine(3, false), f));
        assertEquals(List.of(f, genuine(3, false)), c.all());
    }
}
