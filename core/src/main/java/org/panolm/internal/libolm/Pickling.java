package org.panolm.internal.libolm;

import java.lang.foreign.MemorySegment;
import java.util.function.ToLongFunction;

/**
 * How one kind of libolm object is pickled: its three functions and the words its error messages use
 * ({@code noun} as in "account pickle", {@code object} as in "pickling an account").
 *
 * @param noun the pickle's name in messages
 * @param object the object's name in messages
 * @param length the function giving the pickle length
 * @param pickle the pickling function
 * @param unpickle {@code null} where unpickling returns more than the object (PK decryption also
 *        returns the public key), so the wrapper unpickles itself
 */
public record Pickling(String noun, String object, ToLongFunction<MemorySegment> length, TwoBufferCall pickle,
        TwoBufferCall unpickle) {
}
