package org.panolm.libolm;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.util.function.Supplier;

import org.panolm.bindings.NativeLibraryUnavailableException;

/**
 * Loads the system's libolm ({@code libolm.so.3}, Debian package {@code libolm3}) on first use, into the
 * global arena. Only tests and benchmarks load it: libolm is the reference panolm's own Olm and Megolm
 * are checked against, never part of the product.
 */
public final class LibolmLibrary {
    private LibolmLibrary() {}

    private static final String SONAME = "libolm.so.3";
    private static SymbolLookup lookup;
    private static NativeLibraryUnavailableException failure;

    /** The lookup for libolm. @throws NativeLibraryUnavailableException saying what to install */
    public static Supplier<SymbolLookup> lookup() {
        return LibolmLibrary::get;
    }

    /** Null when libolm can be loaded, otherwise the reason. */
    public static String unavailableReason() {
        try {
            get();
            return null;
        } catch (NativeLibraryUnavailableException e) {
            return e.getMessage();
        }
    }

    private static synchronized SymbolLookup get() {
        if (lookup == null && failure == null) {
            try {
                lookup = SymbolLookup.libraryLookup(SONAME, Arena.global());
            } catch (IllegalArgumentException e) {
                failure = new NativeLibraryUnavailableException(SONAME + " could not be loaded; install the Debian "
                        + "package libolm3 (apt-get install libolm3, or libolm-dev)", e);
            } catch (IllegalCallerException e) {
                failure = new NativeLibraryUnavailableException(
                        "native access is not enabled; run java with --enable-native-access=ALL-UNNAMED", e);
            }
        }
        if (failure != null) throw failure;
        return lookup;
    }
}
