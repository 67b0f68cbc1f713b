package org.panolm.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Owns one native object or block of secret native memory: leases let calls (a batch may run for seconds) use it while another thread
 * closes it; the object is freed, exactly once, when it is closed and the last lease is returned. A
 * {@link Cleaner} frees it if its owner is forgotten without {@code close()}. Not API: the one owner of
 * native objects and secret native memory for core's classes (an object libpanolm allocates, or memory
 * Java allocates for a key or a cipher state, {@link #secretMemory}).
 */
public final class NativeHandle {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final int CLOSED = 1 << 30;

    private final MemorySegment address;
    private final String what;
    private final AtomicInteger state = new AtomicInteger();   // CLOSED flag | number of leases
    private final Cleaner.Cleanable cleanable;

    /**
     * Takes ownership of a native object.
     *
     * @param owner the Java object whose unreachability frees the native one (never referred to by it)
     * @param address the native object
     * @param free frees (and wipes) the native object; runs exactly once
     * @param what the object's name in the message of use after close
     */
    public NativeHandle(Object owner, MemorySegment address, Consumer<MemorySegment> free, String what) {
        this.address = address;
        this.what = what;
        this.cleanable = CLEANER.register(owner, new Free(address, free));
    }

    /**
     * Secret memory for a key or a native state: allocated (zeroed) from its own shared arena, and on free
     * first handed to {@code wipe} (which clears it, natively or by a fill) and then released with the arena.
     *
     * @param owner the Java object whose unreachability frees the memory (never referred to by it)
     * @param size the number of bytes
     * @param alignment the alignment in bytes
     * @param wipe clears the memory before it is released
     * @param what the memory's name in the message of use after close
     * @return the handle; {@link #acquire()} gives the memory
     */
    public static NativeHandle secretMemory(Object owner, long size, long alignment, Consumer<MemorySegment> wipe,
            String what) {
        Arena arena = Arena.ofShared();
        MemorySegment memory = arena.allocate(size, alignment);
        return new NativeHandle(owner, memory, m -> {
            try {
                wipe.accept(m);
            } finally {
                arena.close();
            }
        }, what);
    }

    /**
     * The address for one call; pair with {@link #release()}.
     *
     * @return the native object's address, valid until the matching {@link #release()}
     * @throws IllegalStateException once closed
     */
    public MemorySegment acquire() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                throw new IllegalStateException(what + " is closed");
            }
            if (state.compareAndSet(s, s + 1)) {
                return address;
            }
        }
    }

    /** Returns a lease taken by {@link #acquire()}; the last one after {@link #close()} frees the object. */
    public void release() {
        if (state.decrementAndGet() == CLOSED) {
            cleanable.clean();
        }
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /** Idempotent; frees now, or when the last running call returns its lease. */
    public void close() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                return;
            }
            if (state.compareAndSet(s, s | CLOSED)) {
                if (s == 0) {
                    cleanable.clean();
                }
                return;
            }
        }
    }

    /** Must not refer to the owner, or the owner would never become unreachable. */
    private record Free(MemorySegment address, Consumer<MemorySegment> free, AtomicBoolean done) implements Runnable {
        Free(MemorySegment address, Consumer<MemorySegment> free) {
            this(address, free, new AtomicBoolean());
        }

        @Override
        public void run() {
            if (done.compareAndSet(false, true)) {
                free.accept(address);
            }
        }
    }
}
