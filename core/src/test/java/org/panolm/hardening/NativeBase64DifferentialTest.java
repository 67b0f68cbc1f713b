package org.panolm.hardening;

import static java.lang.foreign.MemorySegment.ofArray;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.panolm.Status;
import org.panolm.bindings.panolm_h;

/**
 * libpanolm's base64 (used by the native parsers on JSON fields) against the JDK's, on random bytes of
 * every length up to 200 and on every 6-bit value in every position. The fuzzer found the encoder mapping
 * 52..63 to the wrong characters; this keeps that fixed in the ordinary test run.
 */
class NativeBase64DifferentialTest {
    private static final Base64.Encoder JDK = Base64.getEncoder().withoutPadding();

    @Test
    void encodeAndDecodeAgreeWithTheJdk() {
        var random = new SplittableRandom(64);
        int checked = 0;
        for (int len = 0; len <= 200; len++) {
            for (int rep = 0; rep < 5; rep++) {
                byte[] bytes = new byte[len];
                random.nextBytes(bytes);
                String expected = JDK.encodeToString(bytes);
                assertEquals(expected, encode(bytes), "encode of " + len + " bytes");
                assertArrayEquals(bytes, decode(expected), "decode of " + len + " bytes");
                assertArrayEquals(bytes, decode(Base64.getEncoder().encodeToString(bytes)), "padded decode");
                checked++;
            }
        }
        assertEquals(201 * 5, checked);
    }

    @Test
    void everyAlphabetCharacterInEveryPosition() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; i++) {
            char c = alphabet.charAt(i);
            String text = "" + c + c + c + c;
            byte[] bytes = Base64.getDecoder().decode(text);
            assertArrayEquals(bytes, decode(text), text);
            assertEquals(text, encode(bytes), text);
        }
    }

    @Test
    void rejectsWhatMatrixBase64Forbids() {
        // Outside the alphabet, URL-safe characters, impossible lengths, non-zero trailing bits, bad padding.
        for (String bad : new String[] {"QQ=", "Q", "QUJD!", "-_-_", "QR", "QUJ", "QR==", "QUJ=", "Q===", "QQ==QQ==", " QQ"}) {
            byte[] in = bad.getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[in.length + 3];
            long[] len = new long[1];
            int rc = panolm_h.panolm_base64_decode(ofArray(in), in.length, ofArray(out), out.length, ofArray(len));
            assertEquals(Status.BAD_BASE64.code(), rc, "'" + bad + "' must be refused");
        }
    }

    private static String encode(byte[] bytes) {
        byte[] out = new byte[(int) panolm_h.panolm_base64_encoded_length(bytes.length)];
        long[] len = new long[1];
        assertEquals(0, panolm_h.panolm_base64_encode(ofArray(bytes), bytes.length, ofArray(out), out.length, ofArray(len)));
        return new String(out, 0, (int) len[0], StandardCharsets.US_ASCII);
    }

    private static byte[] decode(String text) {
        byte[] in = text.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[(int) panolm_h.panolm_base64_decoded_max_length(in.length)];
        long[] len = new long[1];
        int rc = panolm_h.panolm_base64_decode(ofArray(in), in.length, ofArray(out), out.length, ofArray(len));
        assertEquals(0, rc, "decode of '" + text + "'");
        return Arrays.copyOf(out, (int) len[0]);
    }
}
