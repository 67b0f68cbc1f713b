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

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    public static byte[] encodeToAscii(byte[] bytes) {
        return ENCODER.encode(bytes);
    }

    /** @param what names the field, for the error message */
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

    /** Decodes and checks the decoded length, for fixed-size keys. */
    public static byte[] decode(String text, int expectedLength, String what) {
        byte[] bytes = decode(text, what);
        if (bytes.length != expectedLength) {
            int n = bytes.length;
            java.util.Arrays.fill(bytes, (byte) 0);
            throw new PanolmException(Status.BAD_KEY, what + " must be " + expectedLength + " bytes, not " + n);
        }
        return bytes;
    }

    public static byte[] decodeAscii(byte[] ascii, String what) {
        return decode(new String(ascii, StandardCharsets.ISO_8859_1), what);
    }
}
