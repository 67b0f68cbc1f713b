package org.panolm.internal.libolm;

import java.lang.foreign.MemorySegment;

/**
 * A libolm function of the shape {@code size_t f(object, buffer, buffer_length)}: it fills the buffer
 * (ids, keys, exports) or reads it (randomness, a key to set). Returns libolm's result.
 */
@FunctionalInterface
public interface BufferCall {
    /**
     * Calls the function.
     *
     * @param object the libolm object
     * @param buffer the buffer
     * @param length the buffer's length
     * @return libolm's result
     */
    long call(MemorySegment object, MemorySegment buffer, long length);
}
