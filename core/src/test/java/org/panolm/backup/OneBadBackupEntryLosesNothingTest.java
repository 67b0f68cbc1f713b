package org.panolm.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import org.panolm.Status;
import org.panolm.keystore.RoomKeyFixtures;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;

/**
 * Issue 12, "Nothing lost in restores": one backup entry with an over-long room id, or any field of the
 * wrong shape, used to fail a whole restore (the body did not parse, or the key could not be bound to its
 * room later). Now each bad entry is one failure naming its room, session and field; the rest restore.
 */
class OneBadBackupEntryLosesNothingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachBadEntryIsOneFailureNamingItsRoomSessionAndField() throws Exception {
        String longRoom = "!" + "a".repeat(300) + ":example.org";
        List<RoomKeyRecord> good = new ArrayList<>();
        for (int i = 0; i < 6; i++) good.add(RoomKeyFixtures.record("!good" + (i % 2) + ":example.org", i, RoomKeyFixtures.UNAUTHENTICATED, 0));
        RoomKeyRecord longOne = RoomKeyFixtures.record(longRoom, 0, RoomKeyFixtures.UNAUTHENTICATED, 0);
        List<RoomKeyRecord> all = new ArrayList<>(good);
        all.add(longOne);
        try (var key = BackupDecryptionKey.generate()) {
            ObjectNode body = (ObjectNode) JSON.readTree(key.publicKey().encrypt(all).toJson());
            ObjectNode rooms = (ObjectNode) body.get("rooms");
            // A session whose index is not a number, one that is not an object, a room that is not an object,
            // a room whose sessions are not an object, and a session_data of the wrong type.
            ObjectNode room0 = (ObjectNode) rooms.get("!good0:example.org").get("sessions");
            room0.set("badIndex", room0.get(good.get(0).sessionId()).deepCopy());
            ((ObjectNode) room0.get("badIndex")).put("first_message_index", "not a number");
            room0.put("notAnObject", 7);
            ObjectNode room1 = (ObjectNode) rooms.get("!good1:example.org").get("sessions");
            room1.set("badData", room1.get(good.get(1).sessionId()).deepCopy());
            ((ObjectNode) room1.get("badData")).putArray("session_data");
            rooms.put("!number:example.org", 5);
            rooms.putObject("!sessions:example.org").put("sessions", "nope");

            RoomKeysBody parsed = RoomKeysBody.fromJson(JSON.writeValueAsBytes(body));
            RestoreResult result = key.decrypt(parsed);

            Set<String> restored = new TreeSet<>();
            result.keys().forEach(r -> restored.add(r.sessionId()));
            Set<String> want = new TreeSet<>();
            good.forEach(r -> want.add(r.sessionId()));
            assertEquals(want, restored, "every good entry is restored");

            Map<String, RestoreFailure> failures = new java.util.HashMap<>();
            for (RestoreFailure f : result.failures()) failures.put(f.roomId() + "|" + f.sessionId(), f);
            assertEquals(6, result.failures().size(), result.failures()::toString);
            RestoreFailure index = failures.get("!good0:example.org|badIndex");
            assertEquals("first_message_index", index.field());
            assertEquals(Status.BAD_EVENT, index.error().status());
            assertFalse(index.error().getMessage().contains("not a number"), "values are never echoed");
            assertNull(failures.get("!good0:example.org|notAnObject").field());
            assertEquals("session_data", failures.get("!good1:example.org|badData").field());
            assertNull(failures.get("!number:example.org|null").session());
            assertEquals("sessions", failures.get("!sessions:example.org|null").field());
            RestoreFailure tooLong = failures.get(longRoom + "|" + longOne.sessionId());
            assertEquals("room_id", tooLong.field());
            assertTrue(tooLong.error().getMessage().contains("over the limit of 255"), tooLong.error().getMessage());

            // A filter leaves out the failures of rooms it does not select, like their keys.
            RestoreResult one = key.decrypt(parsed, SessionFilter.rooms(Set.of("!number:example.org")), 1);
            assertEquals(List.of(), one.keys());
            assertEquals(1, one.failures().size());
        }
    }

    @Test
    void theMalformedEntriesAreNotPartOfTheWireFormat() {
        RoomKeysBody body = RoomKeysBody.fromJson("{\"rooms\":{\"!a:x\":3}}".getBytes());
        assertEquals(1, body.malformed().size());
        assertEquals("{\"rooms\":{}}", new String(body.toJson()));
    }
}
