package org.panolm.subtle;

import static java.lang.foreign.MemorySegment.ofArray;

import org.panolm.bindings.panolm_h;
import org.panolm.internal.NativeStatus;

/** HMAC-SHA-256 and HMAC-SHA-512. */
public final class Mac {
    private Mac() {}

    /**
     * HMAC-SHA-256.
     *
     * @param key the key, any length
     * @param message the message
     * @return the 32-byte tag
     */
    public static byte[] hmacSha256(byte[] key, byte[] message) {
        byte[] out = new byte[32];
        NativeStatus.check(panolm_h.panolm_hmac_sha256(ofArray(key), key.length, ofArray(message), message.length,
                ofArray(out)), "HMAC-SHA-256");
        return out;
    }

    /**
     * HMAC-SHA-512.
     *
     * @param key the key, any length
     * @param message the message
     * @return the 64-byte tag
     */
    public static byte[] hmacSha512(byte[] key, byte[] message) {
        byte[] out = new byte[64];
        NativeStatus.check(panolm_h.panolm_hmac_sha512(ofArray(key), key.length, ofArray(message), message.length,
                ofArray(out)), "HMAC-SHA-512");
        return out;
    }
}
