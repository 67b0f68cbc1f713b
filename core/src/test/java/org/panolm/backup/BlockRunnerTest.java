package org.panolm.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

/** Every block runs exactly once whatever fails, and the lowest-numbered failure is the one reported. */
class BlockRunnerTest {

    @Test
    void allBlocksRunAndTheFirstFailureInBlockOrderIsThrown() {
        for (int threads : new int[] {1, 2, 3}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(40);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlockRunner.run(40, threads, b -> {
                runs.incrementAndGet(b);
                if (b == 31 || b == 9) throw new IllegalArgumentException("block " + b);
            }));
            assertEquals("block 9", e.getMessage());
            for (int b = 0; b < 40; b++) assertEquals(1, runs.get(b), "block " + b);
        }
    }

    @Test
    void threadCountsAreBoundedByBlocksAndTheNativeLimit() {
        assertEquals(1, BlockRunner.threads(8, 1));
        assertEquals(2, BlockRunner.threads(2, 16));
        assertEquals(BlockRunner.MAX_THREADS, BlockRunner.threads(1000, 1000));
        assertEquals(Math.min(16, Runtime.getRuntime().availableProcessors()), BlockRunner.threads(0, 16));
    }
}
