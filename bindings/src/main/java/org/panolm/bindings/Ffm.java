package org.panolm.bindings;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.function.Supplier;

/** C layouts of this platform (LP64 Linux) and the one place where downcall handles are made. */
public final class Ffm {
    private Ffm() {}

    /** {@code char} and the other 8-bit integers. */
    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    /** {@code int}, enums and the other 32-bit integers. */
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    /** {@code size_t} and 64-bit integers. */
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    /** Every pointer. */
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS;

    private static final Linker LINKER = Linker.nativeLinker();

    /**
     * Links {@code name}. When the library is missing the handle still links, to one that throws
     * the loader's explanation on every call: a class that merely mentions libolm must not fail to
     * initialise on a machine without it.
     *
     * @param library the library's lookup, loaded on first use
     * @param name the C symbol
     * @param desc its C signature
     * @param critical for short pure-CPU functions: no thread-state transition, heap segments allowed
     * @return a handle calling the function, or throwing why the library could not be loaded
     */
    public static MethodHandle downcall(Supplier<SymbolLookup> library, String name, FunctionDescriptor desc,
                                        boolean critical) {
        SymbolLookup lookup;
        try {
            lookup = library.get();
        } catch (NativeLibraryUnavailableException e) {
            return throwing(e, desc);
        }
        MemorySegment address = lookup.find(name)
                .orElseThrow(() -> new LinkageError("symbol " + name + " is missing from its library"));
        return critical
                ? LINKER.downcallHandle(address, desc, Linker.Option.critical(true))
                : LINKER.downcallHandle(address, desc);
    }

    private static MethodHandle throwing(NativeLibraryUnavailableException e, FunctionDescriptor desc) {
        var type = desc.toMethodType();
        MethodHandle thrower = MethodHandles.throwException(type.returnType(), NativeLibraryUnavailableException.class);
        thrower = MethodHandles.insertArguments(thrower, 0, e);
        return MethodHandles.dropArguments(thrower, 0, type.parameterList());
    }
}
