package org.panolm.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.megolm.BatchResults;
import org.panolm.megolm.BulkDecryptor;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.MegolmOutboundSession;
import org.panolm.megolm.PreparedBatch;
import org.panolm.megolm.SessionKey;

/**
 * Megolm sessions and batch decryption used from many threads: a shared inbound session is safe; batches
 * run concurrently give exactly the sequential results; closing a session while other threads decrypt
 * with it gives each caller either its plaintext or an {@link IllegalStateException}; and a stress run of
 * bounded time (a few seconds) mixes all of it.
 */
class ConcurrencyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOM = "!room:example.org";
    private static final int THREADS = 6;

    /** Three senders, their keys and 40 messages each (as events), some tampered, two replays. */
    private static final class Fixture {
        final List<SessionKey> keys = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        final List<String> plaintexts = new ArrayList<>();
        final List<String> ciphertexts = new ArrayList<>();

        Fixture() {
            for (int s = 0; s < 3; s++) {
                try (var sender = MegolmOutboundSession.create()) {
                    keys.add(sender.sessionKey());
                    for (int i = 0; i < 40; i++) {
                        String plain = "{\"room_id\":\"" + ROOM + "\",\"type\":\"m.room.message\",\"content\":{\"body\":\"s"
                                + s + " m" + i + "\"}}";
                        String ct = sender.encrypt(plain);
                        if (i % 13 == 7) ct = ct.substring(0, 20) + (ct.charAt(20) == 'A' ? 'B' : 'A') + ct.substring(21);
                        plaintexts.add(plain);
                        ciphertexts.add(ct);
                        events.add(event("$s" + s + "m" + i, sender.sessionId(), ct));
                    }
                }
            }
            // The same ciphertexts again under new event ids: replays.
            events.add(event("$replay1", keys.get(0).sessionId(), ciphertexts.get(3)));
            events.add(event("$replay2", keys.get(2).sessionId(), ciphertexts.get(85)));
        }

        Map<String, MegolmInboundSession> freshSessions() {
            Map<String, MegolmInboundSession> map = new HashMap<>();
            for (SessionKey k : keys) map.put(k.sessionId(), MegolmInboundSession.create(k));
            return map;
        }

        static String event(String id, String sessionId, String ct) {
            ObjectNode e = JSON.createObjectNode();
            e.put("type", "m.room.encrypted").put("event_id", id).put("room_id", ROOM);
            e.putObject("content").put("algorithm", "m.megolm.v1.aes-sha2").put("sender_key", "x")
                    .put("device_id", "D").put("session_id", sessionId).put("ciphertext", ct);
            return e.toString();
        }
    }

    /** One line per message: status and plaintext, comparable across runs. */
    private static List<String> runBatch(Fixture f, Map<String, MegolmInboundSession> sessions, int nativeThreads) {
        try (var batch = PreparedBatch.create(f.events.size())) {
            for (String e : f.events) batch.addEvent(e, sessions::get);
            BatchResults r = new BulkDecryptor(nativeThreads).decrypt(batch);
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                lines.add(r.status(i) + (r.isOk(i) ? " " + r.messageIndex(i) + " " + r.plaintextString(i) : ""));
            }
            return lines;
        }
    }

    @Test
    void concurrentBatchesEqualTheSequentialRun() throws Exception {
        var f = new Fixture();
        var reference = f.freshSessions();
        List<String> expected = runBatch(f, reference, 1);
        reference.values().forEach(MegolmInboundSession::close);
        assertEquals(122, expected.size());
        assertEquals(Status.REPLAYED_INDEX.name(), expected.get(120));
        assertTrue(expected.stream().filter(l -> l.startsWith("OK ")).count() >= 100, "most messages decrypt");
        assertTrue(expected.stream().anyMatch(l -> l.startsWith("BAD_")), "tampered messages fail");

        var shared = f.freshSessions();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            var start = new CountDownLatch(1);
            for (int t = 0; t < THREADS; t++) {
                int nativeThreads = 1 + t % 3;
                runs.add(pool.submit(() -> {
                    start.await();
                    return runBatch(f, shared, nativeThreads);
                }));
            }
            start.countDown();
            for (var run : runs) assertEquals(expected, run.get(), "a concurrent batch differs from the sequential run");
        } finally {
            pool.shutdownNow();
            shared.values().forEach(MegolmInboundSession::close);
        }
    }

    @Test
    void oneSessionSharedByManyThreads() throws Exception {
        var f = new Fixture();
        var session = MegolmInboundSession.create(f.keys.get(1));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        var failures = new ConcurrentLinkedQueue<String>();
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int offset = t;
                jobs.add(pool.submit(() -> {
                    for (int k = 0; k < 40; k++) {
                        int i = 40 + (k + offset * 7) % 40;   // every thread walks all messages, in its own order
                        try {
                            var m = session.decrypt(f.ciphertexts.get(i), "$s1m" + (i - 40), ROOM);
                            if (!m.plaintextUtf8().equals(f.plaintexts.get(i))) failures.add("wrong plaintext " + i);
                        } catch (PanolmException e) {
                            if ((i - 40) % 13 != 7) failures.add("message " + i + ": " + e.status());
                        }
                    }
                }));
            }
            for (var j : jobs) j.get();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), List.copyOf(failures));
        var replay = org.junit.jupiter.api.Assertions.assertThrows(PanolmException.class,
                () -> session.decrypt(f.ciphertexts.get(41), "$another", ROOM));
        assertEquals(Status.REPLAYED_INDEX, replay.status());
        session.close();
    }

    @Test
    void outboundSessionSharedByManyThreadsUsesEachIndexOnce() throws Exception {
        try (var sender = MegolmOutboundSession.create()) {
            var key = sender.sessionKey();
            var ciphertexts = new ConcurrentLinkedQueue<String>();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> jobs = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int id = t;
                    jobs.add(pool.submit(() -> {
                        for (int k = 0; k < 25; k++) ciphertexts.add(sender.encrypt("t" + id + " k" + k));
                    }));
                }
                for (var j : jobs) j.get();
            } finally {
                pool.shutdownNow();
            }
            assertEquals(THREADS * 25L, sender.messageIndex());
            try (var receiver = MegolmInboundSession.create(key)) {
                var seen = new java.util.BitSet();
                for (String ct : ciphertexts) {
                    var m = receiver.decrypt(ct);
                    assertTrue(!seen.get((int) m.messageIndex()), "index " + m.messageIndex() + " used twice");
                    seen.set((int) m.messageIndex());
                }
                assertEquals(THREADS * 25, seen.cardinality());
            }
        }
    }

    @Test
    void olmSessionsSharedByManyThreadsUseEachChainIndexOnce() throws Exception {
        // Many threads encrypt on one Olm session and decrypt on the other: every message decrypts once.
        try (var alice = org.panolm.olm.Account.create(); var bob = org.panolm.olm.Account.create()) {
            bob.generateOneTimeKeys(1);
            try (var out = org.panolm.olm.Session.createOutbound(alice, bob.identityKeys().curve25519(),
                    bob.oneTimeKeys().getFirst().publicKey())) {
                var first = out.encrypt(new byte[] {0});
                try (var in = org.panolm.olm.Session.createInbound(bob, first)) {
                    in.decrypt(first);
                    var sent = new ConcurrentLinkedQueue<org.panolm.olm.OlmMessage>();
                    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
                    try {
                        List<Future<?>> jobs = new ArrayList<>();
                        for (int t = 0; t < THREADS; t++) {
                            int id = t;
                            jobs.add(pool.submit(() -> {
                                for (int k = 0; k < 25; k++) sent.add(out.encrypt(new byte[] {(byte) id, (byte) k}));
                            }));
                        }
                        for (var j : jobs) j.get();
                        // Decrypted by several threads too, in the order they were queued (a little out of order).
                        var seen = new java.util.BitSet();
                        var failures = new ConcurrentLinkedQueue<String>();
                        jobs.clear();
                        for (int t = 0; t < THREADS; t++) {
                            jobs.add(pool.submit(() -> {
                                for (org.panolm.olm.OlmMessage m; (m = sent.poll()) != null; ) {
                                    try {
                                        byte[] p = in.decrypt(m);
                                        synchronized (seen) {
                                            if (seen.get(p[0] * 25 + p[1])) failures.add("twice");
                                            seen.set(p[0] * 25 + p[1]);
                                        }
                                    } catch (PanolmException e) {
                                        failures.add(e.getMessage());
                                    }
                                }
                            }));
                        }
                        for (var j : jobs) j.get();
                        assertEquals(List.of(), List.copyOf(failures));
                        assertEquals(THREADS * 25, seen.cardinality());
                    } finally {
                        pool.shutdownNow();
                    }
                }
            }
        }
    }

    @Test
    void closingOlmSessionsWhileABatchRuns() throws Exception {
        // A batch holds its sessions until it returns: closing them meanwhile waits, never frees them under it.
        try (var alice = org.panolm.olm.Account.create(); var bob = org.panolm.olm.Account.create()) {
            bob.generateFallbackKey();
            var key = bob.fallbackKey().orElseThrow().publicKey();
            for (int round = 0; round < 5; round++) {
                List<org.panolm.olm.Session> sessions = new ArrayList<>();
                List<org.panolm.olm.BatchEncryption.Recipient> recipients = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    var s = org.panolm.olm.Session.createOutbound(alice, bob.identityKeys().curve25519(), key);
                    sessions.add(s);
                    recipients.add(new org.panolm.olm.BatchEncryption.Recipient(s, List.of(new byte[300])));
                }
                ExecutorService pool = Executors.newSingleThreadExecutor();
                try {
                    var batch = pool.submit(() -> org.panolm.olm.BatchEncryption.encrypt(
                            org.panolm.olm.PayloadTemplate.perRecipient(), recipients, 2));
                    Thread.sleep(round);
                    sessions.forEach(org.panolm.olm.Session::close);
                    var results = batch.get();
                    for (var r : results) {
                        // Each recipient either ran (its session was leased in time) or found it closed.
                        assertTrue(r.ok() || r.status() == org.panolm.Status.UNKNOWN_SESSION, r.status().toString());
                    }
                    assertTrue(sessions.stream().allMatch(org.panolm.olm.Session::isClosed));
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    @Test
    void closingWhileOtherThreadsDecrypt() throws Exception {
        var f = new Fixture();
        for (int round = 0; round < 5; round++) {
            var session = MegolmInboundSession.create(f.keys.get(0));
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            var failures = new ConcurrentLinkedQueue<String>();
            var refused = new AtomicLong();
            var start = new CountDownLatch(1);
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                jobs.add(pool.submit(() -> {
                    start.await();
                    for (int k = 0; k < 200; k++) {
                        int i = k % 40;
                        try {
                            var m = session.decrypt(f.ciphertexts.get(i));
                            if (!m.plaintextUtf8().equals(f.plaintexts.get(i))) failures.add("wrong plaintext");
                        } catch (IllegalStateException closed) {
                            refused.incrementAndGet();
                        } catch (PanolmException e) {
                            if (i % 13 != 7) failures.add(e.getMessage());
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            Thread.sleep(round);
            session.close();
            for (var j : jobs) j.get();
            pool.shutdownNow();
            assertEquals(List.of(), List.copyOf(failures));
            assertTrue(session.isClosed());
        }
    }

    @Test
    void boundedStress() throws Exception {
        var f = new Fixture();
        long deadline = System.nanoTime() + 4_000_000_000L;
        var shared = f.freshSessions();
        var failures = new ConcurrentLinkedQueue<String>();
        var operations = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int kind = t % 3;
                jobs.add(pool.submit(() -> {
                    int k = 0;
                    while (System.nanoTime() < deadline) {
                        int i = k++ % 120;
                        try {
                            switch (kind) {
                                case 0 -> { // batches over the shared sessions
                                    var lines = runBatch(f, shared, 2);
                                    if (lines.size() != 122) failures.add("batch size");
                                }
                                case 1 -> { // single decryptions on the shared sessions
                                    var s = shared.get(f.keys.get(i / 40).sessionId());
                                    var m = s.decrypt(f.ciphertexts.get(i));
                                    if (!m.plaintextUtf8().equals(f.plaintexts.get(i))) failures.add("plaintext " + i);
                                }
                                default -> { // short-lived sessions: import, export, decrypt, close
                                    try (var s = MegolmInboundSession.create(f.keys.get(i / 40));
                                         var copy = MegolmInboundSession.importSession(s.export())) {
                                        var m = copy.decrypt(f.ciphertexts.get(i));
                                        if (!m.plaintextUtf8().equals(f.plaintexts.get(i))) failures.add("copy " + i);
                                    }
                                }
                            }
                        } catch (PanolmException e) {
                            if (kind == 0 || (i % 40) % 13 != 7) failures.add(kind + "/" + i + ": " + e.getMessage());
                        }
                        operations.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (var j : jobs) j.get();
        } finally {
            pool.shutdownNow();
            shared.values().forEach(MegolmInboundSession::close);
        }
        assertEquals(List.of(), List.copyOf(failures).subList(0, Math.min(5, failures.size())));
        assertTrue(operations.get() > THREADS, "the stress run did work: " + operations.get());
    }
}
