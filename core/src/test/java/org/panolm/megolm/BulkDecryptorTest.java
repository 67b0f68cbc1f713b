package org.panolm.megolm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;

/** Batch decryption: equal to one-by-one decryption in any order and thread count, plus its replay and room rules. */
class BulkDecryptorTest {
    private static final int SESSIONS = 64;
    private static final int MESSAGES = 100_000;

    /** One encrypted room message of the shared history. */
    record Sent(int session, String eventId, String roomId, String ciphertext, byte[] plaintext, long index) {}

    private static final List<MegolmInboundSession> inbound = new ArrayList<>();
    private static final List<Sent> history = new ArrayList<>();

    @BeforeAll
    static void makeHistory() {
        Random rnd = new Random(42);
        List<MegolmOutboundSession> outbound = new ArrayList<>();
        for (int s = 0; s < SESSIONS; s++) {
            MegolmOutboundSession out = MegolmOutboundSession.create();
            outbound.add(out);
            String room = "!room" + (s % 5) + ":example.org";
            inbound.add(MegolmInboundSession.create(out.sessionKey(), room));
        }
        // uneven sessions, as rooms are: a few long ones, many short ones
        int[] owner = new int[MESSAGES];
        for (int i = 0; i < MESSAGES; i++) {
            owner[i] = rnd.nextInt(4) == 0 ? rnd.nextInt(4) : rnd.nextInt(SESSIONS);
        }
        List<List<Integer>> perSession = new ArrayList<>();
        for (int s = 0; s < SESSIONS; s++) perSession.add(new ArrayList<>());
        for (int i = 0; i < MESSAGES; i++) perSession.get(owner[i]).add(i);
        Sent[] sent = new Sent[MESSAGES];
        long[] seeds = rnd.longs(SESSIONS).toArray();
        IntStream.range(0, SESSIONS).parallel().forEach(s -> {
            Random r = new Random(seeds[s]);
            String room = "!room" + (s % 5) + ":example.org";
            for (int i : perSession.get(s)) {
                String body = "x".repeat(r.nextInt(200));
                byte[] plaintext = ("{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"" + body
                        + "\"},\"room_id\":\"" + room + "\"}").getBytes(StandardCharsets.UTF_8);
                long index = outbound.get(s).messageIndex();
                sent[i] = new Sent(s, "$event" + i, room, outbound.get(s).encrypt(plaintext), plaintext, index);
            }
        });
        Collections.addAll(history, sent);
        outbound.forEach(MegolmOutboundSession::close);
    }

    @AfterAll
    static void closeSessions() {
        inbound.forEach(MegolmInboundSession::close);
    }

    private static PreparedBatch prepare(List<Sent> order) {
        PreparedBatch batch = PreparedBatch.create(order.size());
        int[] slots = new int[SESSIONS];
        for (int s = 0; s < SESSIONS; s++) slots[s] = batch.session(inbound.get(s));
        for (Sent m : order) {
            byte[] ct = m.ciphertext().getBytes(StandardCharsets.US_ASCII);
            byte[] ev = m.eventId().getBytes(StandardCharsets.UTF_8);
            byte[] rm = m.roomId().getBytes(StandardCharsets.UTF_8);
            batch.add(slots[m.session()], batch.appendInput(ct), ct.length, batch.appendInput(ev), ev.length,
                    batch.appendInput(rm), rm.length);
        }
        return batch;
    }

    /**
     * Every message of the history, shuffled on one thread and newest-first on two, decrypts to exactly what
     * was sent at the index it was sent at; a one-by-one decryption of every tenth message (the whole
     * history would double the test's time for no new path) agrees too.
     */
    @Test
    void hundredThousandMessagesShuffledAndReversedOnOneAndTwoThreads() {
        byte[][] expected = new byte[MESSAGES][];
        long[] indices = new long[MESSAGES];
        for (int i = 0; i < MESSAGES; i++) {
            expected[i] = history.get(i).plaintext();
            indices[i] = history.get(i).index();
        }
        IntStream.range(0, MESSAGES / 10).parallel().map(k -> k * 10).forEach(i -> {
            Sent m = history.get(i);
            DecryptedMessage d = inbound.get(m.session()).decrypt(m.ciphertext(), m.eventId(), m.roomId());
            assertArrayEquals(expected[i], d.plaintext());
            assertEquals(indices[i], d.messageIndex());
        });

        List<Integer> shuffled = new ArrayList<>(IntStream.range(0, MESSAGES).boxed().toList());
        Collections.shuffle(shuffled, new Random(7));
        List<Integer> reversed = new ArrayList<>(IntStream.range(0, MESSAGES).boxed().toList());
        Collections.reverse(reversed);
        record Run(List<Integer> order, int threads) {}
        for (Run run : List.of(new Run(shuffled, 1), new Run(reversed, 2))) {
            try (PreparedBatch batch = prepare(run.order().stream().map(history::get).toList())) {
                BatchResults r = new BulkDecryptor(run.threads()).decrypt(batch);
                assertEquals(MESSAGES, r.size());
                for (int p = 0; p < MESSAGES; p++) {
                    int i = run.order().get(p);
                    if (!r.isOk(p)) throw r.error(p);
                    assertEquals(indices[i], r.messageIndex(p));
                    assertEquals(expected[i].length, r.plaintextLength(p));
                    assertTrue(r.plaintext(p).mismatch(MemorySegment.ofArray(expected[i])) == -1, "message " + i);
                }
            }
        }
    }

    private record Fixture(MegolmOutboundSession out, MegolmInboundSession in) implements AutoCloseable {
        static Fixture create(String room) {
            MegolmOutboundSession out = MegolmOutboundSession.create();
            return new Fixture(out, room == null ? MegolmInboundSession.create(out.sessionKey())
                    : MegolmInboundSession.create(out.sessionKey(), room));
        }

        @Override
        public void close() {
            out.close();
            in.close();
        }
    }

    static String event(String eventId, String roomId, String sessionId, String ciphertext) {
        return "{\"type\":\"m.room.encrypted\",\"event_id\":\"" + eventId + "\""
                + (roomId == null ? "" : ",\"room_id\":\"" + roomId + "\"")
                + ",\"sender\":\"@a:x\",\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"ciphertext\":\""
                + ciphertext + "\",\"session_id\":\"" + sessionId + "\",\"sender_key\":\"k\",\"device_id\":\"D\"}}";
    }

    /** Without a room the room binding check, and without an event id the replay check, could not run. */
    @Test
    void anEncryptedEventWithoutRoomOrEventIdIsABadEvent() {
        try (Fixture f = Fixture.create("!r:x")) {
            String m0 = f.out.encrypt("{\"room_id\":\"!r:x\"}");
            Map<String, MegolmInboundSession> sessions = Map.of(f.in.sessionId(), f.in);
            String[] events = {
                    event("$noroom", null, f.in.sessionId(), m0),
                    event("$emptyroom", "", f.in.sessionId(), m0),
                    event("", "!r:x", f.in.sessionId(), m0),
                    event("$ok", "!r:x", f.in.sessionId(), m0),
            };
            try (PreparedBatch batch = PreparedBatch.create(events.length)) {
                for (String e : events) {
                    batch.addEvent(e, sessions::get);
                }
                BatchResults r = new BulkDecryptor(1).decrypt(batch);
                assertEquals(Status.BAD_EVENT, r.status(0));
                assertTrue(r.error(0).getMessage().contains("room_id is missing"), r.error(0).getMessage());
                assertEquals(Status.BAD_EVENT, r.status(1));
                assertTrue(r.error(1).getMessage().contains("room_id is empty"), r.error(1).getMessage());
                assertEquals(Status.BAD_EVENT, r.status(2));
                assertTrue(r.error(2).getMessage().contains("event_id is missing, empty"), r.error(2).getMessage());
                assertEquals(Status.OK, r.status(3), "the rest of the batch still decrypts");
            }
        }
    }

    @Test
    void everyEventSharingASignedIndexIsTheReplayInAnyOrder() {
        try (Fixture f = Fixture.create(null)) {
            String m0 = f.out.encrypt("{\"room_id\":\"!r:x\"}");
            String m1 = f.out.encrypt("{\"room_id\":\"!r:x\"}");
            Map<String, MegolmInboundSession> sessions = Map.of(f.in.sessionId(), f.in);
            BulkDecryptor bulk = new BulkDecryptor(2);
            try (PreparedBatch batch = PreparedBatch.create(4)) {
                // index 1 first (newest-first), then index 0 twice under two ids, then index 1 again under its id
                batch.addEvent(event("$b", "!r:x", f.in.sessionId(), m1), sessions::get);
                batch.addEvent(event("$second", "!r:x", f.in.sessionId(), m0), sessions::get);
                batch.addEvent(event("$first", "!r:x", f.in.sessionId(), m0), sessions::get);
                batch.addEvent(event("$b", "!r:x", f.in.sessionId(), m1), sessions::get);
                BatchResults r = bulk.decrypt(batch);
                assertEquals(Status.OK, r.status(0));
                assertEquals(Status.REPLAYED_INDEX, r.status(1), "nothing signed tells the original from the copy");
                assertEquals(Status.REPLAYED_INDEX, r.status(2));
                assertTrue(r.error(2).getMessage().contains("$first"), r.error(2).getMessage());
                assertEquals(Status.OK, r.status(3), "same event again is a duplicate, not a replay");
                assertEquals(0, r.plaintextLength(2));

                batch.clear();
                batch.addEvent(event("$first", "!r:x", f.in.sessionId(), m0), sessions::get);
                r = bulk.decrypt(batch);
                assertEquals(Status.REPLAYED_INDEX, r.status(0), "the session remembers across batches");
            }
            assertEquals(Status.REPLAYED_INDEX,
                    assertThrows(PanolmException.class, () -> f.in.decrypt(m0, "$first", "!r:x")).status());
        }
    }

    @Test
    void eventsAreCheckedAndEveryFailureHasItsPlace() {
        try (Fixture bound = Fixture.create("!r:x"); Fixture free = Fixture.create(null);
             Fixture late = Fixture.create(null)) {
            Map<String, MegolmInboundSession> sessions = new HashMap<>();
            sessions.put(bound.in.sessionId(), bound.in);
            sessions.put(free.in.sessionId(), free.in);
            String ok = bound.out.encrypt("{\"room_id\":\"!r:x\",\"content\":{}}");
            String ok2 = bound.out.encrypt("{\"room_id\":\"!r:x\",\"content\":{}}");
            String wrongRoomInside = free.out.encrypt("{\"room_id\":\"!other:x\"}");
            String early = late.out.encrypt("early");
            try (MegolmInboundSession lateIn = MegolmInboundSession.importSession(late.in.exportAt(1))) {
                sessions.put(lateIn.sessionId(), lateIn);
                String sid = bound.in.sessionId();
                String[] events = {
                        event("$ok", "!r:x", sid, ok),
                        "not json",
                        "[1,2]",
                        event("$nosession", "!r:x", "unknownSessionId", ok),
                        event("$wrongroom", "!elsewhere:x", sid, ok),
                        event("$inside", "!r:x", free.in.sessionId(), wrongRoomInside),
                        event("$early", "!r:x", lateIn.sessionId(), early),
                        event("$garbage", "!r:x", sid, "AwgAEgAA"),
                        event("$b64", "!r:x", sid, "Aw*A"),
                        "{\"type\":\"m.room.encrypted\",\"event_id\":\"$olm\",\"content\":{\"algorithm\":\"m.olm.v1.curve25519-aes-sha2\"}}",
                        "{\"type\":\"m.room.message\",\"event_id\":\"$plain\",\"content\":{}}",
                        "{\"type\":\"m.room.encrypted\",\"content\":{}}",
                        "{\"type\":\"m.room.encrypted\",\"event_id\":\"$noct\",\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"session_id\":\"x\"}}",
                        event("$sync", null, sid, ok2),
                };
                Status[] expected = {Status.OK, Status.BAD_EVENT, Status.BAD_EVENT, Status.UNKNOWN_SESSION,
                        Status.ROOM_MISMATCH, Status.ROOM_MISMATCH, Status.UNKNOWN_INDEX, Status.TRUNCATED,
                        Status.BAD_BASE64, Status.BAD_EVENT, Status.BAD_EVENT, Status.BAD_EVENT, Status.BAD_EVENT,
                        Status.OK};
                try (PreparedBatch batch = PreparedBatch.create(events.length)) {
                    for (int i = 0; i < events.length; i++) {
                        // a /sync timeline event carries no room_id: the caller names the room
                        batch.addEvent(events[i], i == events.length - 1 ? "!r:x" : null, sessions::get);
                    }
                    BatchResults r = new BulkDecryptor(2).decrypt(batch);
                    for (int i = 0; i < events.length; i++) {
                        assertEquals(expected[i], r.status(i), "event " + i + ": " + r.error(i));
                    }
                    assertEquals("{\"room_id\":\"!r:x\",\"content\":{}}", r.plaintextString(0));
                    assertNull(r.error(0));
                    assertEquals(0L, r.error(6).detail().index(), r.error(6).getMessage());
                    assertTrue(r.error(3).getMessage().contains("unknownSessionId"), r.error(3).getMessage());
                    assertTrue(r.error(9).getMessage().contains("m.olm.v1.curve25519-aes-sha2"), r.error(9).getMessage());
                    assertTrue(r.error(12).getMessage().contains("$noct") && r.error(12).getMessage().contains("ciphertext"));
                    assertThrows(PanolmException.class, () -> r.plaintextString(4));
                }
            }
        }
    }

    @Test
    void callerOwnedInputAndOutput() {
        try (Fixture f = Fixture.create(null); Arena arena = Arena.ofConfined()) {
            byte[] ct0 = f.out.encrypt("zero").getBytes(StandardCharsets.US_ASCII);
            byte[] ct1 = f.out.encrypt("one").getBytes(StandardCharsets.US_ASCII);
            MemorySegment input = arena.allocate(ct0.length + ct1.length + 20);
            MemorySegment.copy(ct0, 0, input, JAVA_BYTE, 0, ct0.length);
            MemorySegment.copy(ct1, 0, input, JAVA_BYTE, ct0.length, ct1.length);
            try (PreparedBatch batch = PreparedBatch.over(input, 3)) {
                int slot = batch.session(f.in);
                batch.add(slot, ct0.length, ct1.length, 0, 0, 0, 0);
                batch.add(slot, 0, ct0.length, 0, 0, 0, 0);
                batch.add(slot, input.byteSize() - 5, 10, 0, 0, 0, 0);   // runs past the input
                assertThrows(IllegalStateException.class, () -> batch.appendInput(new byte[1]));
                MemorySegment small = arena.allocate(batch.outputLength() - 1);
                assertThrows(IllegalArgumentException.class, () -> new BulkDecryptor(1).decrypt(batch, small));
                MemorySegment output = arena.allocate(batch.outputLength());
                BatchResults r = new BulkDecryptor(1).decrypt(batch, output);
                assertEquals("one", r.plaintextString(0));
                assertEquals(1, r.messageIndex(0));
                assertEquals("zero", r.plaintextString(1));
                assertEquals(Status.INVALID_ARGUMENT, r.status(2));
                assertEquals(output.address(), r.output().address());
                assertEquals(output.address() + r.plaintextOffset(1), r.plaintext(1).address(), "a view, not a copy");
            }
        }
    }

    @Test
    void closedSessionsAndBatches() {
        Fixture f = Fixture.create(null);
        String m = f.out.encrypt("x");
        PreparedBatch batch = PreparedBatch.create(1);
        Map<String, MegolmInboundSession> sessions = Map.of(f.in.sessionId(), f.in);
        batch.addEvent(event("$e", "!r:x", f.in.sessionId(), m), sessions::get);
        f.close();
        assertThrows(IllegalStateException.class, () -> new BulkDecryptor().decrypt(batch));
        batch.close();
        batch.close();
        assertThrows(IllegalStateException.class, () -> batch.add(PreparedBatch.NO_SESSION, 0, 0, 0, 0, 0, 0));
    }

    /**
     * The prepared path allocates nothing per message on the Java side (the issue allows 16 bytes): a
     * warm batch of a few thousand messages, decrypted and read through its views, is measured with the
     * JVM's per-thread allocation counter. The native threads' work is not on the Java heap at all.
     */
    @Test
    void preparedPathAllocatesNothingPerMessage() {
        var threadBean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        List<Sent> slice = history.subList(0, 3000);
        try (PreparedBatch batch = prepare(slice)) {
            BulkDecryptor bulk = new BulkDecryptor(2);
            long sink = 0;
            for (int warm = 0; warm < 3; warm++) sink += readAll(bulk.decrypt(batch));
            long before = threadBean.getCurrentThreadAllocatedBytes();
            sink += readAll(bulk.decrypt(batch));
            long allocated = threadBean.getCurrentThreadAllocatedBytes() - before;
            assertTrue(sink > 0);
            assertTrue(allocated <= 16L * slice.size(), allocated + " bytes for " + slice.size() + " messages");
        }
    }

    private static long readAll(BatchResults r) {
        long sum = 0;
        for (int i = 0; i < r.size(); i++) {
            if (r.statusCode(i) != 0) throw r.error(i);
            if (r.provenance(i) == null || r.copyIndex(i) != 0) throw new AssertionError("provenance of " + i);
            sum += r.plaintextLength(i) + r.messageIndex(i) + r.plaintextOffset(i);
        }
        return sum;
    }

    /**
     * Results are valid for exactly as long as documented: until the batch changes. Kept past a clear and a
     * second decryption, they used to read the second batch's statuses and plaintexts as if they were the
     * first's; now every read throws IllegalStateException, and the new results read the new batch.
     */
    @Test
    void resultsKeptPastTheNextBatchAreRefusedNotMisread() {
        try (Fixture f = Fixture.create(null); PreparedBatch batch = PreparedBatch.create(2)) {
            Map<String, MegolmInboundSession> sessions = Map.of(f.in.sessionId(), f.in);
            BulkDecryptor bulk = new BulkDecryptor(1);
            batch.addEvent(event("$a", "!r:x", f.in.sessionId(), f.out.encrypt("{\"room_id\":\"!r:x\",\"n\":1}")),
                    sessions::get);
            BatchResults first = bulk.decrypt(batch);
            assertEquals("{\"room_id\":\"!r:x\",\"n\":1}", first.plaintextString(0));
            assertTrue(first.isCurrent());

            batch.clear();
            assertThrows(IllegalStateException.class, () -> first.status(0), "cleared");
            batch.addEvent(event("$b", "!r:x", f.in.sessionId(), f.out.encrypt("{\"room_id\":\"!r:x\",\"n\":2}")),
                    sessions::get);
            batch.addEvent("not json", sessions::get);
            BatchResults second = bulk.decrypt(batch);
            for (var read : List.<java.util.function.Consumer<BatchResults>>of(r -> r.size(), r -> r.statusCode(0),
                    r -> r.plaintextString(0), r -> r.plaintext(0), r -> r.plaintextLength(0), r -> r.messageIndex(0),
                    r -> r.error(1), r -> r.eventId(0), r -> r.output(), r -> r.message(0))) {
                assertThrows(IllegalStateException.class, () -> read.accept(first), "a stale read");
                read.accept(second);
            }
            assertTrue(!first.isCurrent() && second.isCurrent());
            assertEquals("{\"room_id\":\"!r:x\",\"n\":2}", second.plaintextString(0));

            BatchResults third = bulk.decrypt(batch);
            assertThrows(IllegalStateException.class, () -> second.statusCode(0), "decrypted again");
            assertEquals(Status.BAD_EVENT, third.status(1));
            batch.add(PreparedBatch.NO_SESSION, 0, 0, 0, 0, 0, 0);
            assertThrows(IllegalStateException.class, () -> third.statusCode(0), "added to");
            BatchResults fourth = bulk.decrypt(batch);
            batch.close();
            assertThrows(IllegalStateException.class, () -> fourth.statusCode(0), "closed");
        }
    }

    @Test
    void emptyBatch() {
        try (PreparedBatch batch = PreparedBatch.create(0)) {
            assertEquals(0, new BulkDecryptor().decrypt(batch).size());
        }
    }
}
