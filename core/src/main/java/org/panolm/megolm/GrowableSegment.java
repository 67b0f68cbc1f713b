package org.panolm.megolm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Native memory that grows by doubling, each generation in its own shared arena so the previous one can
 * be freed at once. Reused across batches: steady-state use allocates nothing.
 */
final class GrowableSegment implements AutoCloseable {
    private Arena arena;
    private MemorySegment segment;
    private final boolean wipeOnFree;

    GrowableSegment(long initial, boolean wipeOnFree) {
        this.wipeOnFree = wipeOnFree;
        this.arena = Arena.ofShared();
        this.segment = arena.allocate(Math.max(initial, 64), 16);
    }

    MemorySegment segment() {
        if (segment == null) {
            throw new IllegalStateException("batch is closed");
        }
        return segment;
    }

    /** Makes room for {@code bytes}, keeping the first {@code keep} bytes. */
    MemorySegment ensure(long bytes, long keep) {
        MemorySegment old = segment();
        if (bytes <= old.byteSize()) {
            return old;
        }
        long size = old.byteSize();
        while (size < bytes) {
            size = size > Long.MAX_VALUE / 2 ? bytes : size * 2;
        }
        Arena next = Arena.ofShared();
        MemorySegment grown = next.allocate(size, 16);
        if (keep > 0) {
            MemorySegment.copy(old, 0, grown, 0, keep);
        }
        free();
        arena = next;
        segment = grown;
        return grown;
    }

    private void free() {
        if (wipeOnFree) {
            segment.fill((byte) 0);
        }
        arena.close();
    }

    @Override
    public void close() {
        if (segment != null) {
            free();
            segment = null;
        }
    }
}
