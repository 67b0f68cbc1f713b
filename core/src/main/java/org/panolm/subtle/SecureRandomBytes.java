package org.panolm.subtle;

import static java.lang.foreign.MemorySegment.ofArray;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.panolm.bindings.panolm_h;
import org.panolm.internal.NativeStatus;

/** Random bytes from libsodium's CSPRNG (the kernel's getrandom). */
public final class SecureRandomBytes {
    private SecureRandomBytes() {}

    /**
     * New random bytes.
     *
     * @param length how many
     * @return the bytes
     */
    public static byte[] next(int length) {
        byte[] out = new byte[length];
        fill(out);
        return out;
    }

    /**
     * Fills {@code out} with random bytes.
     *
     * @param out the array to fill
     */
    public static void fill(byte[] out) {
        try (var arena = Arena.ofConfined()) {
            // panolm_random is not a critical function: copy through native memory.
            var seg = arena.allocate(Math.max(1, out.length));
            NativeStatus.check(panolm_h.panolm_random(seg, out.length), "random bytes");
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, 0, out, 0, out.length);
            seg.fill((byte) 0);
        }
    }
}
