package org.panolm.hardening.fuzz;

import static java.lang.foreign.MemorySegment.ofArray;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_h;
import org.panolm.encoding.MatrixBase64;

/** The Java base64 edge (every key and ciphertext field of Matrix JSON) against libpanolm's decoder. */
class MatrixBase64FuzzTest {
    @FuzzTest(maxDuration = "30s")
    void javaAndNativeDecodersAgree(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        byte[] java = null;
        try {
            java = MatrixBase64.decode(text, "field");
        } catch (PanolmException e) {
            assertEquals(Status.BAD_BASE64, e.status());
            assertTrue(e.getMessage().equals("BAD_BASE64: field is not valid base64")
                    || e.getMessage().equals("BAD_BASE64: field is not canonical base64 (non-zero trailing bits)"),
                    "the message names the field only: " + e.getMessage());
        }
        byte[] out = new byte[(int) panolm_h.panolm_base64_decoded_max_length(input.length)];
        long[] len = new long[1];
        int rc = panolm_h.panolm_base64_decode(ofArray(input), input.length, ofArray(out), out.length, ofArray(len));
        if (rc == 0) {
            // Whatever the strict native decoder accepts, the Java edge accepts with the same bytes.
            assertArrayEquals(Arrays.copyOf(out, (int) len[0]), java, "decoders disagree on " + text);
        } else {
            assertEquals(Status.BAD_BASE64.code(), rc);
            // Both refuse what is not canonical base64, non-zero trailing bits included ("QR" is not "QQ").
            assertTrue(java == null, "only libpanolm refused " + text);
        }
    }
}
