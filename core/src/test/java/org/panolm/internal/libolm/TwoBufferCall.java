package org.panolm.internal.libolm;

import java.lang.foreign.MemorySegment;

/**
 * A libolm function of the shape {@code size_t f(object, first, first_length, second, second_length)}:
 * pickling (key, pickle out), unpickling (key, pickle in), signing and encrypting (input, output out).
 */
@FunctionalInterface
public interface TwoBufferCall {
    long call(MemorySegment object, MemorySegment first, long firstLength, MemorySegment second, long secondLength);
}
