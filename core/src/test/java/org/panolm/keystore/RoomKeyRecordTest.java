package org.panolm.keystore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.export.ExportedRoomKey;

class RoomKeyRecordTest {
    @Test
    void firstIndexComesFromTheKeyAndTheSessionIdMustMatch() {
        ExportedRoomKey key = RoomKeyFixtures.randomKey("!r:hs", 42);
        RoomKeyRecord r = RoomKeyRecord.of(key, true, 2);
        assertEquals(42, r.firstKnownIndex());
        assertEquals(new SessionRef("!r:hs", key.sessionId()), r.ref());

        ExportedRoomKey noId = key.withRoomAndSession("!r:hs", null);
        assertEquals(key.sessionId(), RoomKeyRecord.of(noId, false, 0).sessionId());

        ExportedRoomKey other = RoomKeyFixtures.randomKey("!r:hs", 0);
        ExportedRoomKey misfiled = key.withRoomAndSession("!r:hs", other.sessionId());
        assertEquals(Status.BAD_KEY, assertThrows(PanolmException.class, () -> RoomKeyRecord.of(misfiled, false, 0)).status());
        assertEquals(Status.INVALID_ARGUMENT, assertThrows(PanolmException.class,
                () -> RoomKeyRecord.of(key.withRoomAndSession(null, key.sessionId()), false, 0)).status());
        assertEquals(Status.INVALID_ARGUMENT, assertThrows(PanolmException.class,
                () -> new RoomKeyRecord(key, -1, false, 0)).status());
    }

    @Test
    void toStringNeverShowsTheSessionKey() {
        ExportedRoomKey key = RoomKeyFixtures.randomKey("!r:hs", 0);
        String text = RoomKeyRecord.of(key, false, 0).toString();
        assertFalse(text.contains(key.sessionKey().substring(0, 24)), text);
        assertFalse(text.contains(key.sessionKey().substring(100, 140)), text);
    }
}
