package org.panolm.benchmarks.libolm;

import java.lang.foreign.MemorySegment;
import java.util.function.Supplier;

import org.panolm.libolm.olm_h;

/** libolm reports failure as {@code olm_error()} (size_t -1) and keeps the reason in the object. */
final class OlmCall {
    private OlmCall() {}

    private static final long ERROR = olm_h.olm_error();

    @SuppressWarnings("restricted") // libolm returns a C string without a length: read at most 64 bytes
    static long check(long result, Supplier<MemorySegment> lastError, String what) {
        if (result == ERROR) {
            String reason = lastError.get().reinterpret(64).getString(0);
            throw new IllegalStateException("libolm " + what + " failed: " + reason);
        }
        return result;
    }
}
