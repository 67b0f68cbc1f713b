package org.panolm.internal.libolm;

import java.lang.foreign.MemorySegment;

/**
 * A libolm function of the shape {@code size_t f(object, first, first_length, second, second_length)}:
 * pickling (key, pickle out), unpickling (key, pickle in), signing and encrypting (input, output out).
 */
@FunctionalInterface
public interface TwoBufferCall {
    /**
     * Calls the function.
     *
     * @param object the libolm object
     * @param first the first buffer
     * @param firstLength its length
     * @param second the second buffer
     * @param secondLength its length
     * @return libolm's result
     */
    long call(MemorySegment object, MemorySegment first, long firstLength, MemorySegment second, long secondLength);
}
