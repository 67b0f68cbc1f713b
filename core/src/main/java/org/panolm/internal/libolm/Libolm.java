package org.panolm.internal.libolm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_h;
import org.panolm.internal.NativeStatus;
import org.panolm.subtle.Ed25519;
import org.panolm.subtle.X25519;

/**
 * Moving data between Java and libolm's native buffers. libolm speaks unpadded base64 for keys,
 * messages and pickles; panolm's API speaks bytes, so the conversion happens here, in native memory,
 * with libpanolm's constant-time codec (libolm's own decoder is table-driven, CVE-2024-45192).
 */
public final class Libolm {
    private Libolm() {}

    /**
     * Length of the unpadded base64 encoding of {@code n} bytes.
     *
     * @param n a number of bytes
     * @return the encoded length
     */
    public static long base64Length(long n) {
        return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
    }

    /**
     * Fills {@code out} with random bytes for libolm, which takes its randomness from the caller.
     *
     * @param out the memory to fill
     */
    public static void random(MemorySegment out) {
        NativeStatus.check(panolm_h.panolm_random(out, out.byteSize()), "random bytes");
    }

    /**
     * Checks a peer's Curve25519 public key: 32 bytes and not of low order. libolm does not check the
     * latter, and a low-order key makes the shared secret all-zero, i.e. known to everyone; vodozemac
     * refuses such keys, and so does panolm, before libolm sees them.
     *
     * @param key the key
     * @param what names the key, for the error message
     */
    public static void requireCurve25519PublicKey(byte[] key, String what) {
        if (key == null || key.length != 32) {
            throw new PanolmException(Status.BAD_KEY,
                    what + " must be 32 bytes, not " + (key == null ? "missing" : key.length));
        }
        try {
            Arrays.fill(X25519.sharedSecret(PROBE, key), (byte) 0);
        } catch (PanolmException e) {
            if (e.status() == Status.NON_CONTRIBUTORY) {
                throw new PanolmException(Status.NON_CONTRIBUTORY, what + " is a low-order Curve25519 point");
            }
            throw e;
        }
    }

    /** Any fixed scalar detects low order: clamping clears the cofactor, so k * P = 0 only for those P. */
    private static final byte[] PROBE = new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
            17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

    /**
     * Copies {@code bytes} into a new region of {@code scratch}.
     *
     * @param scratch the call's memory
     * @param bytes the bytes to copy
     * @return the region holding them
     */
    public static MemorySegment put(Scratch scratch, byte[] bytes) {
        MemorySegment seg = scratch.take(bytes.length);
        MemorySegment.copy(bytes, 0, seg, JAVA_BYTE, 0, bytes.length);
        return seg;
    }

    /**
     * {@code length} bytes for a libolm function that takes randomness: fresh ones, or {@code chosen}
     * (tests reproducing published vectors), whose length the caller has checked against libolm's.
     *
     * @param scratch the call's memory
     * @param length how many bytes
     * @param chosen the bytes to use, or null for fresh random ones
     * @return the region holding them
     */
    public static MemorySegment putRandom(Scratch scratch, long length, byte[] chosen) {
        if (chosen != null) {
            if (chosen.length != length) {
                throw new IllegalArgumentException("chosen randomness must be " + length + " bytes");
            }
            return put(scratch, chosen);
        }
        MemorySegment random = scratch.take(length);
        if (length > 0) {
            random(random);
        }
        return random;
    }

    /**
     * Returns {@code signature} after checking it is an Ed25519 signature's length.
     *
     * @param signature the signature
     * @return the same signature
     */
    public static byte[] requireSignatureLength(byte[] signature) {
        if (signature.length != Ed25519.SIGNATURE_LENGTH) {
            throw new PanolmException(Status.INTERNAL, "libolm returned a signature of " + signature.length + " bytes");
        }
        return signature;
    }

    /**
     * Writes the unpadded base64 of {@code bytes} into a new region of {@code scratch}.
     *
     * @param scratch the call's memory
     * @param bytes the bytes to encode
     * @return the region holding the text
     */
    public static MemorySegment putBase64(Scratch scratch, byte[] bytes) {
        long length = base64Length(bytes.length);
        MemorySegment out = scratch.take(length);
        MemorySegment outLength = scratch.take(Long.BYTES);
        NativeStatus.check(panolm_h.panolm_base64_encode(MemorySegment.ofArray(bytes), bytes.length, out, length,
                outLength), "base64 encoding");
        return out;
    }

    /**
     * Writes a base64 text that libolm will decode (a pickle) into {@code scratch}, after checking it is
     * unpadded standard base64 of a possible length: libolm's decoder would silently turn anything else
     * into wrong bytes.
     *
     * @param scratch the call's memory
     * @param text the base64 text
     * @param what names the text, for the error message
     * @return the region holding the text
     */
    public static MemorySegment putBase64Text(Scratch scratch, String text, String what) {
        int n = text.length();
        if (n == 0 || n % 4 == 1) {
            throw new PanolmException(Status.BAD_BASE64, what + " has an impossible base64 length " + n);
        }
        MemorySegment seg = scratch.take(n);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
                    || c == '/';
            if (!ok) {
                throw new PanolmException(Status.BAD_BASE64, what + " is not unpadded base64 (character " + i + ")");
            }
            seg.set(JAVA_BYTE, i, (byte) c);
        }
        return seg;
    }

    /**
     * Decodes {@code length} bytes of base64 produced by libolm into a new array.
     *
     * @param scratch the call's memory
     * @param base64 the base64 text libolm wrote
     * @param length its length
     * @param what names the value, for the error message
     * @return the decoded bytes
     */
    public static byte[] getBase64(Scratch scratch, MemorySegment base64, long length, String what) {
        if (length % 4 == 1) {
            throw new PanolmException(Status.INTERNAL, "libolm returned " + what + " of impossible length " + length);
        }
        byte[] out = new byte[Math.toIntExact(length / 4 * 3 + (length % 4 == 0 ? 0 : length % 4 - 1))];
        MemorySegment outLength = scratch.take(Long.BYTES);
        NativeStatus.check(panolm_h.panolm_base64_decode(base64, length, MemorySegment.ofArray(out), out.length,
                outLength), what + " from libolm");
        if (outLength.get(JAVA_LONG, 0) != out.length) {
            throw new PanolmException(Status.INTERNAL, what + " from libolm decoded to an unexpected length");
        }
        return out;
    }

    /**
     * The first {@code length} bytes of {@code seg} as ASCII text.
     *
     * @param seg the memory
     * @param length how many bytes
     * @return the text
     */
    public static String getAscii(MemorySegment seg, long length) {
        byte[] bytes = seg.asSlice(0, length).toArray(JAVA_BYTE);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /**
     * The first {@code length} bytes of {@code seg} as a new array.
     *
     * @param seg the memory
     * @param length how many bytes
     * @return the bytes
     */
    public static byte[] get(MemorySegment seg, long length) {
        return seg.asSlice(0, length).toArray(JAVA_BYTE);
    }

    /**
     * Checks PKCS#7 padding strictly. libolm's AES-CBC decryption writes every decrypted block into the
     * plaintext buffer ({@code capacity} bytes, the ciphertext length) and removes padding after
     * checking only that the last byte is not larger than the length; the padding bytes are still in
     * the buffer after the {@code length} bytes it returns. Accepting what libolm accepts would admit a
     * zero pad and inconsistent pad bytes, which vodozemac rejects and which, where the MAC does not cover
     * the ciphertext (PK encryption), would give a padding oracle. Runs in time independent of the pad.
     *
     * @param plaintext the decrypted buffer
     * @param length the plaintext length libolm reported
     * @param capacity the buffer's size
     * @param context names the operation, for the error message
     */
    public static void requireStrictPadding(MemorySegment plaintext, long length, long capacity, String context) {
        long pad = capacity - length;
        int bad = (pad < 1 || pad > 16 || capacity % 16 != 0) ? 1 : 0;
        if (bad == 0) {
            for (long i = capacity - 16; i < capacity; i++) {
                int b = plaintext.get(JAVA_BYTE, i) & 0xFF;
                int inPad = i >= length ? 1 : 0;
                bad |= inPad & (b != pad ? 1 : 0);
            }
        }
        if (bad != 0) {
            throw new PanolmException(Status.BAD_PADDING, context);
        }
    }
}
