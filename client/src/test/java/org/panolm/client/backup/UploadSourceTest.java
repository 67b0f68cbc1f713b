package org.panolm.client.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.panolm.keystore.KeyStore;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;
import org.panolm.keystore.SessionRef;

/** The key store's cursor as the pipelined uploader reads it: one batch ahead of the marks. */
class UploadSourceTest {

    @Test
    void aBatchReadAheadOfTheMarksIsNeverHandedOutTwice() {
        try (KeyStore store = KeyStore.inMemory()) {
            List<RoomKeyRecord> keys = new ArrayList<>();
            for (int i = 0; i < 25; i++) keys.add(TestKeys.random("!r" + (i % 3) + ":localhost"));
            store.importKeys(keys);
            UploadSource source = UploadSource.of(store, UploadJournal.none());
            UploadSource.Cursor cursor = source.pending("1", SessionFilter.all());
            Set<SessionRef> seen = new HashSet<>();
            List<RoomKeyRecord> current = cursor.next(10);
            while (!current.isEmpty()) {
                List<RoomKeyRecord> next = cursor.next(10); // read before current is marked, as the uploader does
                for (RoomKeyRecord r : current) assertTrue(seen.add(r.ref()), "handed out twice: " + r.ref());
                source.uploaded("1", current);
                current = next;
            }
            assertEquals(25, seen.size());
            assertTrue(store.pendingBackup("1").isEmpty());
            // A new round sees nothing pending.
            assertTrue(source.pending("1", SessionFilter.all()).next(10).isEmpty());
        }
    }

    @Test
    void aBatchNotMarkedIsSentInTheNextRound() {
        try (KeyStore store = KeyStore.inMemory()) {
            List<RoomKeyRecord> keys = new ArrayList<>();
            for (int i = 0; i < 5; i++) keys.add(TestKeys.random("!r:localhost"));
            store.importKeys(keys);
            UploadSource source = UploadSource.of(store, UploadJournal.none());
            UploadSource.Cursor first = source.pending("1", SessionFilter.all());
            List<RoomKeyRecord> lost = first.next(3); // the round ends before the server accepted it
            assertEquals(3, lost.size());
            List<RoomKeyRecord> again = source.pending("1", SessionFilter.all()).next(10);
            assertEquals(5, again.size());
        }
    }
}
