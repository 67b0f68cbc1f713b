package org.panolm.testing;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.panolm.bindings.panolm_olm_h;
import org.panolm.subtle.X25519;

/** libolm pickles with keys a test chooses, written through libpanolm's libolm pickle envelope. */
public final class LibolmPickles {
    private LibolmPickles() {}

    /**
     * A libolm account (pickle version 4, no one-time keys) whose Ed25519 key is the expanded form of
     * {@code seed}, as libolm keeps it; its Curve25519 key is fixed.
     */
    public static String account(byte[] seed, byte[] ed25519Public, byte[] pickleKey) {
        byte[] expanded;
        try {
            expanded = MessageDigest.getInstance("SHA-512").digest(seed);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        expanded[0] &= (byte) 248;
        expanded[31] &= 63;
        expanded[31] |= 64;
        byte[] curve = new byte[32];
        curve[0] = 7;
        ByteBuffer body = ByteBuffer.allocate(4 + 32 + 64 + 64 + 4 + 1 + 4);
        body.putInt(4).put(ed25519Public).put(expanded).put(X25519.publicKey(curve)).put(curve);
        body.putInt(0).put((byte) 0).putInt(0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocateFrom(JAVA_BYTE, pickleKey);
            MemorySegment in = arena.allocateFrom(JAVA_BYTE, body.array());
            MemorySegment out = arena.allocate(1024);
            MemorySegment len = arena.allocate(JAVA_LONG);
            if (panolm_olm_h.panolm_libolm_pickle_encrypt(key, pickleKey.length, in, body.capacity(), out, 1024, len) != 0) {
                throw new AssertionError("libolm pickle envelope failed");
            }
            return new String(out.asSlice(0, len.get(JAVA_LONG, 0)).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
        }
    }
}
