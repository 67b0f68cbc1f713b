package org.panolm.benchmarks.megolm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

/**
 * Issue 3 asks at most 16 bytes of Java heap per message on the batch path. JMH's {@code -prof gc} counts
 * every thread of the fork, its own included, over few invocations per iteration, so its figure for a
 * batch row is an upper bound; this measures the calling thread alone, over repeated batches of the shape
 * {@link BulkDecryptBench} uses.
 */
class BulkAllocationTest {
    @Test
    void theBatchPathAllocatesAtMostSixteenBytesPerMessage() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        RoomHistory history = new RoomHistory(4, 64, 256, Order.NEWEST_FIRST);
        int messages = history.entries.size();
        for (int nativeThreads : new int[] {1, 2}) {
            try (PanolmHistory batch = new PanolmHistory(history, nativeThreads)) {
                batch.prepare();
                for (int i = 0; i < 5; i++) assertEquals(256L * messages, batch.decrypt()); // warm-up, and JIT
                int rounds = 10;
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < rounds; i++) batch.decrypt();
                long perMessage = (threads.getCurrentThreadAllocatedBytes() - before) / ((long) rounds * messages);
                assertTrue(perMessage <= 16, perMessage + " bytes per message on " + nativeThreads + " threads");
            }
        }
    }
}
