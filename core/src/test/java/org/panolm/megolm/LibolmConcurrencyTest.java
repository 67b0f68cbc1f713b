package org.panolm.megolm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** The documented thread-safety: shared sessions serialise their calls, and close never races a call. */
class LibolmConcurrencyTest {
    private static final int THREADS = 4;
    private static final int PER_THREAD = 100;

    @Test
    void concurrentEncryptsGetDistinctIndicesThatAllDecrypt() throws Exception {
        try (LibolmOutboundGroupSession out = LibolmOutboundGroupSession.create();
             LibolmInboundGroupSession in = LibolmInboundGroupSession.create(out.sessionKey())) {
            List<byte[]> messages = java.util.Collections.synchronizedList(new ArrayList<>());
            runThreads(t -> {
                for (int i = 0; i < PER_THREAD; i++) {
                    messages.add(out.encrypt(("t" + t + " m" + i).getBytes(StandardCharsets.UTF_8)));
                }
            });
            assertEquals(THREADS * PER_THREAD, out.messageIndex());
            Set<Long> indices = ConcurrentHashMap.newKeySet();
            runThreads(t -> {
                for (int i = t; i < messages.size(); i += THREADS) {
                    assertTrue(indices.add(in.decrypt(messages.get(i)).messageIndex()));
                }
            });
            assertEquals(THREADS * PER_THREAD, indices.size());
        }
    }

    @Test
    void closeDuringUseOnlyEverGivesIllegalStateException() throws Exception {
        for (int round = 0; round < 5; round++) {
            LibolmOutboundGroupSession out = LibolmOutboundGroupSession.create();
            AtomicInteger done = new AtomicInteger();
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            CountDownLatch started = new CountDownLatch(THREADS);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    started.countDown();
                    try {
                        while (true) {
                            out.encrypt(new byte[64]);
                            done.incrementAndGet();
                        }
                    } catch (IllegalStateException expected) {
                        // closed under us: the only acceptable outcome
                    } catch (Throwable e) {
                        unexpected.set(e);
                    }
                }));
            }
            started.await();
            while (done.get() < 20) Thread.onSpinWait();
            out.close();
            for (Thread thread : threads) thread.join();
            assertEquals(null, unexpected.get());
            assertTrue(out.isClosed());
        }
    }

    private interface Body {
        void run(int thread) throws Exception;
    }

    private static void runThreads(Body body) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    body.run(id);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread thread : threads) thread.join();
        if (failure.get() != null) throw new AssertionError(failure.get());
    }
}
