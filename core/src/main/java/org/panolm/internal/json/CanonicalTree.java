package org.panolm.internal.json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.internal.SafeJson;
import org.panolm.json.CanonicalJson;

/**
 * Matrix canonical JSON over Jackson trees: the one implementation behind {@link CanonicalJson} (which speaks
 * JSON text) and the tree-speaking fast path panolm's own modules use when they already hold a parsed tree.
 */
public final class CanonicalTree {
    private CanonicalTree() {}

    private static final long MAX_SAFE_INTEGER = CanonicalJson.MAX_SAFE_INTEGER;
    private static final BigDecimal MAX = BigDecimal.valueOf(MAX_SAFE_INTEGER);
    private static final BigDecimal MIN = MAX.negate();

    /**
     * Reads JSON for signature work: exact decimals (no double rounding) and duplicate keys refused, since
     * two parsers could otherwise disagree about what was signed.
     */
    public static final JsonMapper MAPPER = SafeJson.mapperBuilder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * Parses {@code json} strictly; a syntax error or duplicate key fails with {@code BAD_MESSAGE_FORMAT}.
     *
     * @param json the JSON text
     * @return the parsed tree
     */
    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT, SafeJson.describe(e));
        }
    }

    /**
     * Parses UTF-8 JSON bytes strictly.
     *
     * @param json the JSON text as UTF-8 bytes
     * @return the parsed tree
     */
    public static JsonNode parse(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT, SafeJson.describe(e));
        } catch (IOException e) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT, "not valid JSON (not UTF-8 text)");
        }
    }

    /**
     * The canonical UTF-8 bytes of a JSON tree.
     *
     * @param node the JSON tree
     * @return its canonical UTF-8 bytes
     */
    public static byte[] encode(JsonNode node) {
        var out = new ByteArrayOutputStream(256);
        write(node, out, "$");
        return out.toByteArray();
    }

    /**
     * The canonical form as a Java string (for display and tests; sign {@link #encode} bytes).
     *
     * @param node the JSON tree
     * @return its canonical form
     */
    public static String toString(JsonNode node) {
        return new String(encode(node), StandardCharsets.UTF_8);
    }

    /**
     * A JSON object given as Java values, as a tree.
     *
     * @param object strings, numbers, booleans, null, lists and maps
     * @return the tree
     */
    public static ObjectNode fromMap(Map<String, ?> object) {
        try {
            return MAPPER.valueToTree(object);
        } catch (IllegalArgumentException e) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT, "the map is not a JSON object: a value has no JSON form");
        }
    }

    /**
     * A JSON object tree as Java values (ordered maps, lists, strings, numbers, booleans, null).
     *
     * @param object the tree
     * @return a mutable copy as a map
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(ObjectNode object) {
        return MAPPER.convertValue(object, LinkedHashMap.class);
    }

    private static void write(JsonNode node, ByteArrayOutputStream out, String path) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, out, path);
            case ARRAY -> {
                out.write('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) out.write(',');
                    write(node.get(i), out, path + "[" + i + "]");
                }
                out.write(']');
            }
            case STRING -> writeString(node.textValue(), out, path);
            case NUMBER -> writeNumber(node, out, path);
            case BOOLEAN -> writeAscii(node.booleanValue() ? "true" : "false", out);
            case NULL -> writeAscii("null", out);
            default -> throw new PanolmException(Status.BAD_MESSAGE_FORMAT,
                    path + " is a " + node.getNodeType() + " node, which has no JSON form");
        }
    }

    private static void writeObject(JsonNode node, ByteArrayOutputStream out, String path) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
        fields.sort(Map.Entry.comparingByKey(CanonicalJson.CODE_POINT_ORDER));
        out.write('{');
        boolean first = true;
        for (var field : fields) {
            if (!first) out.write(',');
            first = false;
            writeString(field.getKey(), out, path);
            out.write(':');
            write(field.getValue(), out, path + "." + field.getKey());
        }
        out.write('}');
    }

    private static void writeNumber(JsonNode node, ByteArrayOutputStream out, String path) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            long v = node.longValue();
            if (v < -MAX_SAFE_INTEGER || v > MAX_SAFE_INTEGER) {
                throw outOfRange(path);
            }
            writeAscii(Long.toString(v), out);
            return;
        }
        if (node.isIntegralNumber()) {
            throw outOfRange(path); // a BigInteger beyond long
        }
        if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT, path + " is not a finite number");
        }
        BigDecimal d = node.decimalValue();
        if (d.compareTo(MIN) < 0 || d.compareTo(MAX) > 0) {
            throw outOfRange(path);
        }
        BigInteger integral;
        try {
            integral = d.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT,
                    path + " is not an integer (canonical JSON allows integers only)");
        }
        writeAscii(integral.toString(), out); // -0 and 1e10 normalise here
    }

    private static PanolmException outOfRange(String path) {
        return new PanolmException(Status.BAD_MESSAGE_FORMAT, path + " is outside ±(2^53-1)");
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static void writeString(String s, ByteArrayOutputStream out, String path) {
        out.write('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (Character.isSurrogate(s.charAt(i)) && Character.charCount(cp) == 1) {
                throw new PanolmException(Status.BAD_MESSAGE_FORMAT,
                        path + " contains an unpaired surrogate, which has no UTF-8 form");
            }
            i += Character.charCount(cp);
            switch (cp) {
                case '"' -> writeAscii("\\\"", out);
                case '\\' -> writeAscii("\\\\", out);
                case '\b' -> writeAscii("\\b", out);
                case '\f' -> writeAscii("\\f", out);
                case '\n' -> writeAscii("\\n", out);
                case '\r' -> writeAscii("\\r", out);
                case '\t' -> writeAscii("\\t", out);
                default -> {
                    if (cp < 0x20) {
                        writeAscii("\\u00", out);
                        out.write(HEX[cp >> 4]);
                        out.write(HEX[cp & 15]);
                    } else {
                        writeUtf8(cp, out);
                    }
                }
            }
        }
        out.write('"');
    }

    private static void writeUtf8(int cp, ByteArrayOutputStream out) {
        if (cp < 0x80) {
            out.write(cp);
        } else if (cp < 0x800) {
            out.write(0xC0 | cp >> 6);
            out.write(0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            out.write(0xE0 | cp >> 12);
            out.write(0x80 | cp >> 6 & 0x3F);
            out.write(0x80 | cp & 0x3F);
        } else {
            out.write(0xF0 | cp >> 18);
            out.write(0x80 | cp >> 12 & 0x3F);
            out.write(0x80 | cp >> 6 & 0x3F);
            out.write(0x80 | cp & 0x3F);
        }
    }

    private static void writeAscii(String s, ByteArrayOutputStream out) {
        for (int i = 0; i < s.length(); i++) {
            out.write(s.charAt(i));
        }
    }
}
