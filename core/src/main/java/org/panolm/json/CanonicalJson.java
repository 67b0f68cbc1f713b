package org.panolm.json;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;

import org.panolm.internal.json.CanonicalTree;

/**
 * Matrix canonical JSON (docs/formats.md §8.1): object keys sorted by Unicode code point, no insignificant white
 * space, UTF-8 with non-ASCII characters written raw, only the mandatory escapes, and integers in
 * ±(2^53 − 1). A number written with a fraction or exponent is accepted only when its value is an integer
 * ({@code 1e10} becomes {@code 10000000000}, {@code -0} becomes {@code 0}); any other number is refused,
 * since its canonical form is undefined and signatures over it cannot interoperate.
 *
 * <p>Input is JSON text, or a {@code Map} of Java values (strings, numbers, booleans, null, lists and maps).
 * Parsing is strict: a syntax error or duplicate key fails with {@code BAD_MESSAGE_FORMAT}.
 */
public final class CanonicalJson {
    private CanonicalJson() {}

    /** The largest magnitude Matrix allows for a JSON integer. */
    public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    /** Compares by Unicode code point; {@link String#compareTo} compares UTF-16 units, which differs for astral characters. */
    public static final Comparator<String> CODE_POINT_ORDER = CanonicalJson::compareCodePoints;

    /**
     * The canonical UTF-8 bytes of {@code json}.
     *
     * @param json the JSON text
     * @return its canonical UTF-8 bytes
     */
    public static byte[] encode(String json) {
        return CanonicalTree.encode(CanonicalTree.parse(json));
    }

    /**
     * The canonical UTF-8 bytes of UTF-8 JSON text.
     *
     * @param json the JSON text as UTF-8 bytes
     * @return its canonical UTF-8 bytes
     */
    public static byte[] encode(byte[] json) {
        return CanonicalTree.encode(CanonicalTree.parse(json));
    }

    /**
     * The canonical UTF-8 bytes of a JSON object given as Java values.
     *
     * @param object the object: strings, numbers, booleans, null, lists and maps
     * @return its canonical UTF-8 bytes
     */
    public static byte[] encode(Map<String, ?> object) {
        return CanonicalTree.encode(CanonicalTree.fromMap(object));
    }

    /**
     * The canonical form as a Java string (for display and tests; sign {@link #encode} bytes).
     *
     * @param json the JSON text
     * @return its canonical form
     */
    public static String canonicalize(String json) {
        return new String(encode(json), StandardCharsets.UTF_8);
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
