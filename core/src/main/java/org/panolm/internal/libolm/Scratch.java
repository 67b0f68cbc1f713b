package org.panolm.internal.libolm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Native working memory of one libolm object, reused from call to call so that a message costs no
 * native allocation: libolm needs native buffers for every input and output, and it destroys some
 * inputs in place. A call opens it with {@link #begin}, carves regions with {@link #take}, and closes
 * it, which wipes everything taken (plaintexts, keys and pickle keys pass through here).
 *
 * <p>Not thread-safe: used only under the lock of the object that owns it.
 */
public final class Scratch implements AutoCloseable {
    /** Blocks up to this size are kept for reuse; larger requests get memory of their own, freed at close. */
    private static final long KEEP_LIMIT = 64 * 1024;
    private static final long ALIGN = 8;
    /** Room for aligning up to 16 regions. */
    private static final long SLACK = 16 * ALIGN;

    private final Arena owner;
    private volatile MemorySegment kept = MemorySegment.NULL;
    private Arena oneOff;
    private MemorySegment current;
    private long used;

    Scratch(Arena owner) {
        this.owner = owner;
    }

    /** Makes at least {@code bytes} available, in regions of any number up to 16. */
    Scratch begin(long bytes) {
        if (current != null) {
            throw new IllegalStateException("scratch memory is already in use");
        }
        long need = Math.addExact(bytes, SLACK);
        if (need <= kept.byteSize()) {
            current = kept;
        } else if (need <= KEEP_LIMIT) {
            kept.fill((byte) 0);
            kept = owner.allocate(Math.min(KEEP_LIMIT, Math.max(need, Math.max(512, kept.byteSize() * 2))), ALIGN);
            current = kept;
        } else {
            oneOff = Arena.ofConfined();
            current = oneOff.allocate(need, ALIGN);
        }
        used = 0;
        return this;
    }

    /**
     * The next {@code bytes} of this call's memory, 8-byte aligned. Contents are undefined.
     *
     * @param bytes how many bytes
     * @return the region
     */
    public MemorySegment take(long bytes) {
        long offset = (used + ALIGN - 1) & -ALIGN;
        if (bytes < 0 || offset + bytes > current.byteSize()) {
            throw new IllegalStateException("scratch region of " + bytes + " bytes exceeds what begin() reserved");
        }
        used = offset + bytes;
        return current.asSlice(offset, bytes);
    }

    /** Wipes what this call used and releases memory that is not kept. */
    @Override
    public void close() {
        if (current == null) {
            return;
        }
        current.asSlice(0, used).fill((byte) 0);
        current = null;
        if (oneOff != null) {
            oneOff.close();
            oneOff = null;
        }
    }

    /** For the cleaner: the kept block may still hold nothing but zeroes; wipe it anyway. */
    void wipeKept() {
        kept.fill((byte) 0);
    }
}
