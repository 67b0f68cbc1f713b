package org.panolm.backup;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Unpadded standard base64 (the Matrix form) of a slice of native memory, through one caller-owned
 * scratch array: one String per value and no intermediate copies. Only for public data (ciphertexts,
 * MACs, ephemeral keys): the scratch array is not wiped.
 */
final class UnpaddedBase64 {
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

    private byte[] raw = new byte[1024];
    private byte[] text = new byte[1368];

    String encode(MemorySegment segment, long offset, int length) {
        if (raw.length < length) {
            raw = new byte[length];
            text = new byte[(length + 2) / 3 * 4];
        }
        MemorySegment.copy(segment, JAVA_BYTE, offset, raw, 0, length);
        int o = 0;
        int i = 0;
        for (; i + 3 <= length; i += 3) {
            int v = (raw[i] & 0xFF) << 16 | (raw[i + 1] & 0xFF) << 8 | raw[i + 2] & 0xFF;
            text[o++] = ALPHABET[v >>> 18];
            text[o++] = ALPHABET[v >>> 12 & 0x3F];
            text[o++] = ALPHABET[v >>> 6 & 0x3F];
            text[o++] = ALPHABET[v & 0x3F];
        }
        int rest = length - i;
        if (rest > 0) {
            int v = (raw[i] & 0xFF) << 16 | (rest == 2 ? (raw[i + 1] & 0xFF) << 8 : 0);
            text[o++] = ALPHABET[v >>> 18];
            text[o++] = ALPHABET[v >>> 12 & 0x3F];
            if (rest == 2) text[o++] = ALPHABET[v >>> 6 & 0x3F];
        }
        return new String(text, 0, o, StandardCharsets.ISO_8859_1);
    }
}
