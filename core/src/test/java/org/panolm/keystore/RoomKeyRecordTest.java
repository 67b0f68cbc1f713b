package org.panolm.keystore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.export.ExportedRoomKey;
import org.panolm.megolm.KeyProvenance;

class RoomKeyRecordTest {
    private static final KeyProvenance P = RoomKeyFixtures.UNAUTHENTICATED;

    @Test
    void firstIndexComesFromTheKeyAndTheSessionIdMustMatch() {
        ExportedRoomKey key = RoomKeyFixtures.randomKey("!r:hs", 42);
        RoomKeyRecord r = RoomKeyRecord.of(key, RoomKeyFixtures.AUTHENTICATED, 2);
        assertEquals(42, r.firstKnownIndex());
        assertEquals(new SessionRef("!r:hs", key.sessionId()), r.ref());
        assertEquals(RoomKeyFixtures.AUTHENTICATED, r.provenance());

        ExportedRoomKey noId = key.withRoomAndSession("!r:hs", null);
        assertEquals(key.sessionId(), RoomKeyRecord.of(noId, P, 0).sessionId());

        ExportedRoomKey other = RoomKeyFixtures.randomKey("!r:hs", 0);
        ExportedRoomKey misfiled = key.withRoomAndSession("!r:hs", other.sessionId());
        assertEquals(Status.BAD_KEY, assertThrows(PanolmException.class, () -> RoomKeyRecord.of(misfiled, P, 0)).status());
        assertEquals(Status.BAD_KEY, assertThrows(PanolmException.class, () -> new RoomKeyRecord(misfiled, 42, P, 0)).status());
        assertEquals(Status.INVALID_ARGUMENT, assertThrows(PanolmException.class,
                () -> RoomKeyRecord.of(key.withRoomAndSession(null, key.sessionId()), P, 0)).status());
        assertEquals(Status.INVALID_ARGUMENT, assertThrows(PanolmException.class,
                () -> new RoomKeyRecord(key, -1, P, 0)).status());
        assertEquals(Status.INVALID_ARGUMENT, assertThrows(PanolmException.class,
                () -> new RoomKeyRecord(key, 41, P, 0)).status(), "the index is the session key's");
        assertThrows(NullPointerException.class, () -> new RoomKeyRecord(key, 42, null, 0));
    }

    @Test
    void toStringNeverShowsTheSessionKey() {
        ExportedRoomKey key = RoomKeyFixtures.randomKey("!r:hs", 0);
        String text = RoomKeyRecord.of(key, P, 0).toString();
        assertFalse(text.contains(key.sessionKey().substring(0, 24)), text);
        assertFalse(text.contains(key.sessionKey().substring(100, 140)), text);
    }
}
