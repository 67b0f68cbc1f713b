package org.panolm.benchmarks.libolm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Native buffers a jOlm-style wrapper keeps per object. libolm's downcalls are not critical, so Java
 * arrays cannot be passed directly: input is copied into native memory, as such wrappers do.
 */
final class Scratch {
    private Scratch() {}

    static MemorySegment copyIn(Arena arena, byte[] bytes) {
        MemorySegment s = arena.allocate(Math.max(1, bytes.length));
        MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return s;
    }

    static void copyIn(byte[] bytes, MemorySegment into) {
        MemorySegment.copy(bytes, 0, into, ValueLayout.JAVA_BYTE, 0, bytes.length);
    }

    static byte[] copyOut(MemorySegment from, long length) {
        return from.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }
}
