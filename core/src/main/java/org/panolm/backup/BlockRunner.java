package org.panolm.backup;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import org.panolm.Parallelism;

/**
 * Runs numbered blocks of a batch on a few platform threads, the calling thread included. Blocks are
 * claimed one at a time so a descheduled thread does not hold up the rest; each block writes only its own
 * result slots, so the outcome does not depend on which thread ran which block.
 */
final class BlockRunner {
    private BlockRunner() {}

    /** As the native batch: never more threads than this, however many are asked for. */
    static final int MAX_THREADS = 64;

    /** Threads to use for {@code blocks} blocks when {@code requested} were asked for (0 = {@link Parallelism#defaultThreads()}). */
    static int threads(int requested, int blocks) {
        int wanted = requested == 0 ? Parallelism.defaultThreads() : requested;
        return Math.max(1, Math.min(Math.min(wanted, MAX_THREADS), blocks));
    }

    /**
     * Runs {@code block} for 0 .. blocks-1 and returns once all have finished. A block's exception does not
     * stop the others; afterwards the one of the lowest-numbered failed block is rethrown.
     */
    static void run(int blocks, int threads, IntConsumer block) {
        AtomicInteger next = new AtomicInteger();
        Throwable[] errors = new Throwable[blocks];
        Runnable worker = () -> {
            for (int b; (b = next.getAndIncrement()) < blocks; ) {
                try {
                    block.accept(b);
                } catch (Throwable t) {
                    errors[b] = t;
                }
            }
        };
        Thread[] helpers = new Thread[threads - 1];
        int started = 0;
        try {
            for (; started < helpers.length; started++) {
                helpers[started] = Thread.ofPlatform().daemon().name("panolm-backup-batch").start(worker);
            }
        } catch (OutOfMemoryError e) {
            // A thread that cannot be started only means fewer helpers, as in the native batch.
        }
        worker.run();
        joinAll(helpers, started);
        for (Throwable t : errors) {
            if (t instanceof RuntimeException r) throw r;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }
    }

    /** Waits for every helper even when interrupted: they write into memory the caller frees next. */
    private static void joinAll(Thread[] helpers, int count) {
        boolean interrupted = false;
        for (int i = 0; i < count; i++) {
            while (true) {
                try {
                    helpers[i].join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
