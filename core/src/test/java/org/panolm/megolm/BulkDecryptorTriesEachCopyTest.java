package org.panolm.megolm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.panolm.Status;

/**
 * Issue 12, "the bulk decryptor tries each copy": given several copies of one session id whose ratchets do
 * not connect, an event decrypts whenever any copy authenticates it, and the result names the copy.
 */
class BulkDecryptorTriesEachCopyTest {
    private static final String ROOM = "!r:example.org";
    private static final KeyProvenance GENUINE = new KeyProvenance.RestoredFromBackup("genuine", false);

    private static MegolmInboundSession forged(MegolmInboundSession genuine, long index, int n) {
        return MegolmInboundSession.importSession(SessionCopiesConnectTest.forged(genuine.exportAt(genuine.firstKnownIndex()), index),
                new KeyProvenance.ImportedFromFile("forged-" + n, null));
    }

    private static String plaintext(int i) {
        return "{\"room_id\":\"" + ROOM + "\",\"type\":\"m.room.message\",\"content\":{\"n\":" + i + "}}";
    }

    @Test
    void anEventDecryptsWheneverAnyCopyAuthenticatesIt() {
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession creator = MegolmInboundSession.create(out.sessionKey());
             MegolmInboundSession genuine = MegolmInboundSession.importSession(creator.exportAt(3), GENUINE);
             MegolmInboundSession forgedA = forged(creator, 0, 1);
             MegolmInboundSession forgedB = forged(creator, 2, 2);
             MegolmOutboundSession other = MegolmOutboundSession.create();
             MegolmInboundSession otherIn = MegolmInboundSession.create(other.sessionKey(), ROOM, KeyProvenance.CREATED_HERE);
             PreparedBatch batch = PreparedBatch.create(16)) {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                events.add(BulkDecryptorTest.event("$e" + i, ROOM, out.sessionId(), out.encrypt(plaintext(i))));
                events.add(BulkDecryptorTest.event("$o" + i, ROOM, other.sessionId(), other.encrypt(plaintext(100 + i))));
            }
            // The genuine copy is tried last: both forged copies fail first.
            SessionLookup lookup = new SessionLookup() {
                @Override
                public MegolmInboundSession find(String sessionId) {
                    return sessionId.equals(otherIn.sessionId()) ? otherIn : forgedA;
                }

                @Override
                public List<MegolmInboundSession> copies(String roomId, String sessionId) {
                    return sessionId.equals(otherIn.sessionId()) ? List.of(otherIn) : List.of(forgedA, forgedB, genuine);
                }
            };
            for (String e : events) batch.addEvent(e, lookup);
            for (int threads : new int[] {1, 3}) {
                BatchResults r = new BulkDecryptor(threads).decrypt(batch);
                for (int i = 0; i < 8; i++) {
                    int mine = 2 * i, theirs = 2 * i + 1;
                    assertTrue(r.isOk(theirs));
                    assertEquals(plaintext(100 + i), r.plaintextString(theirs));
                    assertEquals(KeyProvenance.CREATED_HERE, r.provenance(theirs));
                    assertEquals(0, r.copyIndex(theirs));
                    if (i >= 3) {
                        assertTrue(r.isOk(mine), () -> r.error(mine).getMessage());
                        assertEquals(plaintext(i), r.plaintextString(mine));
                        assertEquals(i, r.messageIndex(mine));
                        assertEquals(GENUINE, r.provenance(mine));
                        assertEquals(2, r.copyIndex(mine));
                        assertEquals(GENUINE, r.message(mine).provenance());
                        assertNull(r.error(mine));
                    } else {
                        assertFalse(r.isOk(mine));
                        assertEquals(2, r.otherCopiesFailed(mine));
                        assertTrue(r.error(mine).getMessage().contains("2 other copies of the session failed too"),
                                r.error(mine).getMessage());
                        assertEquals(forgedA.provenance(), r.provenance(mine), "a failure names the first copy");
                    }
                }
            }
        }
    }

    /** The allocation-free path: slots with other copies, over caller memory, into a caller's output. */
    @Test
    void theRetryKeepsTheBatchLayoutOverCallerMemory() {
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession creator = MegolmInboundSession.create(out.sessionKey());
             MegolmInboundSession genuine = MegolmInboundSession.importSession(creator.exportAt(0), GENUINE);
             MegolmInboundSession forged = forged(creator, 0, 1);
             Arena arena = Arena.ofConfined()) {
            byte[][] cts = new byte[4][];
            long total = 0;
            for (int i = 0; i < cts.length; i++) {
                cts[i] = out.encrypt(plaintext(i)).getBytes(StandardCharsets.US_ASCII);
                total += cts[i].length;
            }
            byte[] room = ROOM.getBytes(StandardCharsets.UTF_8);
            MemorySegment input = arena.allocate(total + room.length + 16);
            long at = 0;
            long[] offsets = new long[cts.length];
            for (int i = 0; i < cts.length; i++) {
                MemorySegment.copy(cts[i], 0, input, JAVA_BYTE, at, cts[i].length);
                offsets[i] = at;
                at += cts[i].length;
            }
            MemorySegment.copy(room, 0, input, JAVA_BYTE, at, room.length);
            try (PreparedBatch batch = PreparedBatch.over(input, 4)) {
                int slot = batch.session(forged, List.of(genuine));
                for (int i = cts.length - 1; i >= 0; i--) {
                    batch.add(slot, offsets[i], cts[i].length, 0, 0, at, room.length);
                }
                MemorySegment output = arena.allocate(batch.outputLength());
                BatchResults r = new BulkDecryptor(2).decrypt(batch, output);
                for (int k = 0; k < cts.length; k++) {
                    int i = cts.length - 1 - k, pos = k;
                    assertEquals(Status.OK, r.status(k), () -> r.error(pos).getMessage());
                    assertEquals(plaintext(i), r.plaintextString(k));
                    assertEquals(output.address() + r.plaintextOffset(k), r.plaintext(k).address(),
                            "the retried plaintext sits where the first batch reserved it");
                    assertEquals(1, r.copyIndex(k));
                }
                // A copy that failed once is tried first again on the next run: the result is the same.
                BatchResults again = new BulkDecryptor(1).decrypt(batch, output);
                assertEquals(plaintext(3), again.plaintextString(0));
            }
        }
    }
}
