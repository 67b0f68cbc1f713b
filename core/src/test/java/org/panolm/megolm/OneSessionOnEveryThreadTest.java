package org.panolm.megolm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.panolm.Status;

/**
 * One long session in one batch is cut into segments that threads decrypt side by side, each from a checkpoint
 * of the ratchet (docs/ed25519-batch.md, section 4). Whatever the thread count and order, every event gets the status
 * and plaintext that one-by-one decryption on a fresh session gives, replays (the same index under two event
 * ids), duplicates (the same event twice), forged signatures and other rooms included.
 */
class OneSessionOnEveryThreadTest {
    private static final int MESSAGES = 6_000;
    private static final String ROOM = "!room:example.org";

    /** One event of the batch: its ciphertext, event id and room. */
    record Event(String ciphertext, String eventId, String roomId) {}

    @Test
    void segmentsOfOneSessionGiveEveryEventItsOneByOneVerdict() {
        Random rnd = new Random(17);
        List<Event> events = new ArrayList<>();
        String sessionKey;
        try (MegolmOutboundSession out = MegolmOutboundSession.create()) {
            sessionKey = out.sessionKey().toBase64();
            for (int i = 0; i < MESSAGES; i++) {
                String room = rnd.nextInt(50) == 0 ? "!other:example.org" : ROOM;
                String ct = out.encrypt("{\"body\":\"" + i + "\",\"room_id\":\"" + room + "\"}");
                events.add(new Event(ct, "$e" + i, ROOM));
                int r = rnd.nextInt(40);
                if (r == 0) events.add(new Event(ct, "$replay" + i, ROOM));   // the same index under another id
                else if (r == 1) events.add(new Event(ct, "$e" + i, ROOM));   // the same event again
                else if (r == 2) events.add(new Event(forge(ct, rnd), "$forged" + i, ROOM));
            }
        }
        List<Event> newestFirst = new ArrayList<>(events);
        Collections.reverse(newestFirst);
        List<Event> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, rnd);

        for (List<Event> order : List.of(events, newestFirst, shuffled)) {
            Status[] expected = oneByOne(sessionKey, order);
            int replays = 0;
            for (Status s : expected) replays += s == Status.REPLAYED_INDEX ? 1 : 0;
            assertTrue(replays > 0, "the history has replays");
            for (int threads : new int[] {1, 2, 3}) {
                try (MegolmInboundSession in = MegolmInboundSession.create(SessionKey.fromBase64(sessionKey));
                     PreparedBatch batch = PreparedBatch.create(order.size())) {
                    int slot = batch.session(in);
                    for (Event e : order) {
                        byte[] ct = e.ciphertext().getBytes(StandardCharsets.US_ASCII);
                        byte[] ev = e.eventId().getBytes(StandardCharsets.UTF_8);
                        byte[] rm = e.roomId().getBytes(StandardCharsets.UTF_8);
                        batch.add(slot, batch.appendInput(ct), ct.length, batch.appendInput(ev), ev.length,
                                batch.appendInput(rm), rm.length);
                    }
                    BatchResults r = new BulkDecryptor(threads).decrypt(batch);
                    for (int p = 0; p < order.size(); p++) {
                        int at = p;
                        assertEquals(expected[p], r.status(p), () -> "event " + order.get(at).eventId() + " on "
                                + threads + " threads");
                        if (r.isOk(p)) {
                            String body = new String(r.plaintext(p).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                                    StandardCharsets.UTF_8);
                            assertTrue(body.startsWith("{\"body\":\""), body);
                        }
                    }
                }
            }
        }
    }

    private static Status[] oneByOne(String sessionKey, List<Event> order) {
        // Replay verdicts judge an index with all of a batch's events in view: one by one, a scan first gives that.
        Status[] out = new Status[order.size()];
        try (MegolmInboundSession in = MegolmInboundSession.create(SessionKey.fromBase64(sessionKey))) {
            try (PreparedBatch scan = PreparedBatch.create(order.size())) {
                int slot = scan.session(in);
                for (Event e : order) {
                    byte[] ct = e.ciphertext().getBytes(StandardCharsets.US_ASCII);
                    byte[] ev = e.eventId().getBytes(StandardCharsets.UTF_8);
                    byte[] rm = e.roomId().getBytes(StandardCharsets.UTF_8);
                    scan.add(slot, scan.appendInput(ct), ct.length, scan.appendInput(ev), ev.length,
                            scan.appendInput(rm), rm.length);
                }
                ReplayScan replays = new ReplayScan(1);
                replays.note(scan);
                if (replays.needsConfirmation()) replays.confirm(scan);
            }
            for (int p = 0; p < order.size(); p++) {
                Event e = order.get(p);
                try {
                    in.decrypt(e.ciphertext(), e.eventId(), e.roomId());
                    out[p] = Status.OK;
                } catch (org.panolm.PanolmException x) {
                    out[p] = x.status();
                }
            }
        }
        return out;
    }

    /** The same message with one bit of its signature flipped. */
    private static String forge(String ciphertext, Random rnd) {
        byte[] raw = org.panolm.encoding.MatrixBase64.decode(ciphertext, "ciphertext");
        raw[raw.length - 1 - rnd.nextInt(64)] ^= (byte) (1 << rnd.nextInt(8));
        return org.panolm.encoding.MatrixBase64.encode(raw);
    }
}
