package org.panolm.internal.libolm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;

import org.panolm.olm.OlmError;
import org.panolm.olm.OlmException;

/**
 * One libolm object placed in native memory owned by a Java wrapper ({@code Account}, {@code Session},
 * ...). The memory lives in an {@link Arena} of its own; {@link #close()} runs libolm's clear function
 * (which wipes the object), wipes the scratch memory and frees the arena. Closing is idempotent. A
 * {@link Cleaner} does the same for a wrapper that was never closed; it is only a safety net.
 *
 * <p>Thread-safety: the wrapper serialises all calls (its public methods are synchronized) and calls
 * {@link java.lang.ref.Reference#reachabilityFence} on itself after each native call, so the cleaner can never run
 * during one. {@link #pointer()} after close throws {@link IllegalStateException}; because the pointer
 * is a segment of the arena, even a stale copy fails in the FFM layer rather than reaching freed memory.
 */
public final class LibolmObject {
    private static final Cleaner CLEANER = Cleaner.create();
    /** libolm's {@code olm_error()}: {@code (size_t) -1}. */
    public static final long OLM_ERROR = -1L;

    private final LibolmType type;
    private final MemorySegment object;
    private final Scratch scratch;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean closed;

    private LibolmObject(Object owner, LibolmType type) {
        this.type = type;
        Arena arena = Arena.ofShared();
        try {
            this.object = arena.allocate(type.size(), 16);
            type.construct(object);
            this.scratch = new Scratch(arena);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
        this.cleanable = CLEANER.register(owner, new Release(type, object, scratch, arena));
    }

    /** Allocates and constructs a libolm object of {@code type} for {@code owner}. */
    public static LibolmObject create(Object owner, LibolmType type) {
        return new LibolmObject(owner, type);
    }

    /** The libolm object, to pass to libolm functions. */
    public MemorySegment pointer() {
        if (closed) {
            throw new IllegalStateException(type.displayName() + " is closed");
        }
        return object;
    }

    /** Opens this object's scratch memory for a call that needs up to {@code bytes} bytes in total. */
    public Scratch scratch(long bytes) {
        pointer();
        return scratch.begin(bytes);
    }

    /**
     * Returns {@code result} unless it is {@code olm_error()}, in which case throws an {@link OlmException}
     * with this object's last error.
     */
    public long check(long result, String context) {
        if (result == OLM_ERROR) {
            throw new OlmException(OlmError.fromCode(type.lastErrorCode(object)), context);
        }
        return result;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Wipes and frees the object; later calls fail with {@link IllegalStateException}. Idempotent. */
    public void close() {
        closed = true;
        cleanable.clean();
    }

    /** The release action; holds no reference to the wrapper, so it can become unreachable. */
    private record Release(LibolmType type, MemorySegment object, Scratch scratch, Arena arena) implements Runnable {
        @Override
        public void run() {
            try {
                type.clear(object);
                scratch.wipeKept();
            } finally {
                arena.close();
            }
        }
    }
}
