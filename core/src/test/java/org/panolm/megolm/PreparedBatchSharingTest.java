package org.panolm.megolm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * One {@link PreparedBatch} shared by several threads that add, clear, decrypt and read at once. Before the
 * batch locked itself, this crashed the JVM (SIGSEGV): a thread grew or cleared the segments while another
 * thread's native call was reading descriptors from them. Now every operation is atomic and every result read
 * is either right or refused with {@link IllegalStateException} (stale) — never wrong, never a crash.
 */
class PreparedBatchSharingTest {
    private static final int THREADS = 4;
    private static final int ROUNDS = 1000;

    @Test
    void onePreparedBatchHammeredFromSeveralThreadsNeverCrashes() throws Exception {
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession in = MegolmInboundSession.create(out.sessionKey(), "!r:x");
             PreparedBatch batch = PreparedBatch.create(4)) {
            List<String> events = new ArrayList<>();
            List<byte[]> plaintexts = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                byte[] plaintext = ("{\"room_id\":\"!r:x\",\"n\":" + i + ",\"pad\":\"" + "p".repeat(i * 7) + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                plaintexts.add(plaintext);
                events.add("{\"type\":\"m.room.encrypted\",\"event_id\":\"$e" + i + "\",\"room_id\":\"!r:x\","
                        + "\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"session_id\":\"" + in.sessionId()
                        + "\",\"ciphertext\":\"" + out.encrypt(plaintext) + "\"}}");
            }
            Map<String, MegolmInboundSession> sessions = Map.of(in.sessionId(), in);
            BulkDecryptor bulk = new BulkDecryptor(2);
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicLong checked = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    Random rnd = new Random(seed);
                    try {
                        start.await();
                        for (int round = 0; round < ROUNDS; round++) {
                            try {
                                step(rnd, batch, bulk, events, plaintexts, sessions, checked);
                            } catch (IllegalStateException stale) {
                                // Another thread changed the batch after this one decrypted it: its results are
                                // refused, as documented. Nothing else may go wrong.
                                refused.incrementAndGet();
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            start.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(List.of(), List.copyOf(failures));
            assertTrue(checked.get() > 0, "some results were read and checked");
            assertTrue(refused.get() > 0, "some results went stale while being read, and were refused");
        }
    }

    private static void step(Random rnd, PreparedBatch batch, BulkDecryptor bulk, List<String> events,
                             List<byte[]> plaintexts, Map<String, MegolmInboundSession> sessions, AtomicLong checked) {
        switch (rnd.nextInt(4)) {
            case 0 -> batch.clear();
            case 1 -> {
                // Several events, so the segments grow while other threads decrypt.
                for (int k = rnd.nextInt(8); k >= 0; k--) {
                    batch.addEvent(events.get(rnd.nextInt(events.size())), sessions::get);
                }
            }
            default -> {
                BatchResults r = bulk.decrypt(batch);
                for (int i = 0; i < r.size(); i++) {
                    int n = Integer.parseInt(r.eventId(i).substring(2));
                    assertEquals(0, r.statusCode(i), "status of a valid event");
                    assertArrayEquals(plaintexts.get(n), r.plaintextBytes(i));
                    checked.incrementAndGet();
                }
            }
        }
    }
}
