package org.panolm.encoding;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.panolm.PanolmException;
import org.panolm.Status;

/**
 * Matrix's base64 at the edge of the API: emit the standard alphabet without padding; accept it with or
 * without '=' padding. Keys and wire formats past this class are bytes, never strings.
 */
public final class MatrixBase64 {
    private MatrixBase64() {}

    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    /**
     * Encodes in the standard alphabet without padding, as Matrix writes base64.
     *
     * @param bytes the bytes to encode
     * @return the unpadded base64 text
     */
    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /**
     * Encodes like {@link #encode(byte[])}, as ASCII bytes, for writers that work in bytes.
     *
     * @param bytes the bytes to encode
     * @return the unpadded base64 text as ASCII bytes
     */
    public static byte[] encodeToAscii(byte[] bytes) {
        return ENCODER.encode(bytes);
    }

    /**
     * Decodes base64 with or without padding; refuses other characters and non-zero trailing bits.
     *
     * @param text the base64 text; null is refused as missing
     * @param what names the field, for the error message
     * @return the decoded bytes
     */
    public static byte[] decode(String text, String what) {
        if (text == null) {
            throw new PanolmException(Status.BAD_BASE64, what + " is missing");
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            throw new PanolmException(Status.BAD_BASE64, what + " is not valid base64");
        }
        if (!canonicalTail(text)) {
            // Non-zero unused bits: another spelling of the same bytes. libpanolm and vodozemac refuse it too.
            java.util.Arrays.fill(bytes, (byte) 0);
            throw new PanolmException(Status.BAD_BASE64, what + " is not canonical base64 (non-zero trailing bits)");
        }
        return bytes;
    }

    /** The last character of a 2- or 3-character final group must leave its unused low bits zero. */
    private static boolean canonicalTail(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '=') {
            end--;
        }
        int rest = end % 4;
        if (rest < 2) {
            return true;
        }
        int v = value(text.charAt(end - 1));
        return rest == 2 ? (v & 0x0F) == 0 : (v & 0x03) == 0;
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        return c == '+' ? 62 : 63;
    }

    /**
     * Decodes and checks the decoded length, for fixed-size keys.
     *
     * @param text the base64 text
     * @param expectedLength the number of bytes the key must have
     * @param what names the field, for the error message
     * @return the decoded bytes, exactly {@code expectedLength} of them
     */
    public static byte[] decode(String text, int expectedLength, String what) {
        byte[] bytes = decode(text, what);
        if (bytes.length != expectedLength) {
            int n = bytes.length;
            java.util.Arrays.fill(bytes, (byte) 0);
            throw new PanolmException(Status.BAD_KEY, what + " must be " + expectedLength + " bytes, not " + n);
        }
        return bytes;
    }

    /**
     * Decodes base64 given as ASCII bytes, like {@link #decode(String, String)}.
     *
     * @param ascii the base64 text as ASCII bytes
     * @param what names the field, for the error message
     * @return the decoded bytes
     */
    public static byte[] decodeAscii(byte[] ascii, String what) {
        return decode(new String(ascii, StandardCharsets.ISO_8859_1), what);
    }
}
