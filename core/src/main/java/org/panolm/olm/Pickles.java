package org.panolm.olm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.internal.NativeStatus;

/**
 * The Java side of libpanolm's pickle calls (formats in docs/formats.md §7.6, §7.7): panolm's pickles start with
 * {@code panolm1:}, which no libolm pickle (plain base64) can, so a store holding both kinds needs no
 * other marker. vodozemac's pickles (§7.9) are read natively too, encrypted or as the JSON a matrix-sdk-crypto
 * store keeps. Pickle keys and pickle JSON are copied into native memory and wiped after each call.
 */
final class Pickles {
    private Pickles() {}

    static final String PREFIX = "panolm1:";
    /** PANOLM_OLM_ACCOUNT_PICKLE_MAX_LENGTH and _SESSION_: every pickle fits. */
    static final int MAX_LENGTH = 12000;
    static final int MAX_KEY_LENGTH = 1024;

    static boolean isOurs(String pickle) {
        return pickle != null && pickle.startsWith(PREFIX);
    }

    @FunctionalInterface
    interface Writer {
        int write(MemorySegment object, MemorySegment key, long keyLength, MemorySegment out, long cap, MemorySegment outLength);
    }

    @FunctionalInterface
    interface Reader {
        int read(MemorySegment key, long keyLength, MemorySegment pickle, long length, MemorySegment out);
    }

    static String write(MemorySegment object, byte[] pickleKey, Writer writer, String what) {
        requireKey(pickleKey);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocateFrom(JAVA_BYTE, pickleKey);
            MemorySegment out = arena.allocate(MAX_LENGTH);
            MemorySegment outLength = arena.allocate(JAVA_LONG);
            int rc = writer.write(object, key, pickleKey.length, out, MAX_LENGTH, outLength);
            key.fill((byte) 0);
            NativeStatus.check(rc, "pickling the " + what);
            return new String(out.asSlice(0, outLength.get(JAVA_LONG, 0)).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
        }
    }

    /** The new native object's address. */
    static MemorySegment read(String pickle, byte[] pickleKey, String what, Reader reader) {
        Objects.requireNonNull(pickle, "pickle");
        requireKey(pickleKey);
        byte[] text = pickle.getBytes(StandardCharsets.ISO_8859_1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocateFrom(JAVA_BYTE, pickleKey);
            MemorySegment in = arena.allocateFrom(JAVA_BYTE, text);
            MemorySegment out = arena.allocate(ADDRESS);
            int rc = reader.read(key, pickleKey.length, in, text.length, out);
            key.fill((byte) 0);
            if (rc != 0) throw OlmException.pickle(rc, "reading the " + what);
            return out.get(ADDRESS, 0);
        }
    }

    /** PANOLM_OLM_VODOZEMAC_PICKLE_MAX_LENGTH: the longest vodozemac pickle or JSON read. */
    static final int VODOZEMAC_MAX_LENGTH = 4 << 20;
    private static final int WHERE_LENGTH = 64;

    @FunctionalInterface
    interface VodozemacReader {
        int read(MemorySegment key, long keyLength, MemorySegment pickle, long length, MemorySegment out,
                 MemorySegment where, long whereCap);
    }

    @FunctionalInterface
    interface VodozemacJsonReader {
        int read(MemorySegment json, long length, MemorySegment out, MemorySegment where, long whereCap);
    }

    /** The new native object's address, from vodozemac's encrypted pickle. */
    static MemorySegment readVodozemac(String pickle, byte[] pickleKey, String what, VodozemacReader reader) {
        Objects.requireNonNull(pickle, "pickle");
        requireKey(pickleKey);
        requireVodozemacLength(pickle.length(), what);
        byte[] text = pickle.getBytes(StandardCharsets.ISO_8859_1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocateFrom(JAVA_BYTE, pickleKey);
            MemorySegment in = arena.allocateFrom(JAVA_BYTE, text);
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment where = arena.allocate(WHERE_LENGTH);
            int rc = reader.read(key, pickleKey.length, in, text.length, out, where, WHERE_LENGTH);
            key.fill((byte) 0);
            if (rc != 0) throw OlmException.pickle(rc, failure(what, where));
            return out.get(ADDRESS, 0);
        }
    }

    /** The new native object's address, from vodozemac's pickle JSON; the native copy is wiped. */
    static MemorySegment readVodozemacJson(byte[] json, String what, VodozemacJsonReader reader) {
        Objects.requireNonNull(json, "json");
        requireVodozemacLength(json.length, what);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocateFrom(JAVA_BYTE, json);
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment where = arena.allocate(WHERE_LENGTH);
            int rc = reader.read(in, json.length, out, where, WHERE_LENGTH);
            in.fill((byte) 0);
            if (rc != 0) throw OlmException.pickle(rc, failure(what, where));
            return out.get(ADDRESS, 0);
        }
    }

    private static void requireVodozemacLength(long length, String what) {
        if (length > VODOZEMAC_MAX_LENGTH) {
            throw new PanolmException(Status.TOO_LARGE, "a " + what + " may have at most " + VODOZEMAC_MAX_LENGTH
                    + " characters, this one has " + length);
        }
    }

    /** The operation and the schema field that failed (native writes names of vodozemac's fields only). */
    private static String failure(String what, MemorySegment where) {
        String field = where.getString(0, StandardCharsets.US_ASCII);
        return "reading the " + what + (field.isEmpty() ? "" : ", at field " + field);
    }

    private static void requireKey(byte[] pickleKey) {
        Objects.requireNonNull(pickleKey, "pickleKey");
        if (pickleKey.length > MAX_KEY_LENGTH) {
            throw new PanolmException(Status.TOO_LARGE, "a pickle key may have at most " + MAX_KEY_LENGTH + " bytes");
        }
    }
}
