package org.panolm.subtle;

import static java.lang.foreign.MemorySegment.ofArray;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.panolm.bindings.panolm_h;
import org.panolm.internal.NativeStatus;

/** HKDF-SHA-256 (RFC 5869) and PBKDF2-HMAC-SHA-512. */
public final class Kdf {
    private Kdf() {}

    /**
     * An empty salt means 32 zero bytes, as every Matrix format uses it.
     *
     * @param salt the salt
     * @param ikm the input key material
     * @param info the context label
     * @param length the output length in bytes (at most 8160)
     * @return the derived key
     */
    public static byte[] hkdfSha256(byte[] salt, byte[] ikm, byte[] info, int length) {
        byte[] out = new byte[length];
        NativeStatus.check(panolm_h.panolm_hkdf_sha256(ofArray(salt), salt.length, ofArray(ikm), ikm.length,
                ofArray(info), info.length, ofArray(out), length), "HKDF-SHA-256");
        return out;
    }

    /**
     * Runs for a long time at Matrix's 500,000 iterations, so it is not a critical downcall.
     *
     * @param password the password
     * @param salt the salt
     * @param iterations the iteration count
     * @param length the output length in bytes
     * @return the derived key
     */
    public static byte[] pbkdf2Sha512(byte[] password, byte[] salt, int iterations, int length) {
        byte[] out = new byte[length];
        try (var arena = Arena.ofConfined()) {
            var p = arena.allocate(Math.max(1, password.length));
            p.copyFrom(ofArray(password));
            var s = arena.allocate(Math.max(1, salt.length));
            s.copyFrom(ofArray(salt));
            var o = arena.allocate(Math.max(1, length));
            int rc = panolm_h.panolm_pbkdf2_sha512(p, password.length, s, salt.length, iterations, o, length);
            MemorySegment.copy(o, ValueLayout.JAVA_BYTE, 0, out, 0, length);
            o.fill((byte) 0);
            p.fill((byte) 0);
            NativeStatus.check(rc, "PBKDF2-HMAC-SHA-512");
        }
        return out;
    }
}
