package org.panolm.verification.sas;

import java.nio.charset.StandardCharsets;

/**
 * The text libolm's {@code olm_sas_calculate_mac} and {@code _long_kdf} produced: it base64-encoded the
 * 32-byte MAC in place over the buffer that held it, so later 3-byte groups were read after earlier groups'
 * characters had overwritten them. Reproduced exactly (docs/formats.md §9.1) for the legacy MAC methods only;
 * the result is not a faithful encoding of the MAC and must never be decoded.
 */
final class LibolmMangledBase64 {
    private LibolmMangledBase64() {}

    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

    static String encode(byte[] mac32) {
        if (mac32.length != 32) {
            throw new IllegalArgumentException("the legacy encoding is defined for 32-byte MACs only");
        }
        byte[] buf = new byte[43];
        System.arraycopy(mac32, 0, buf, 0, 32);
        for (int k = 0; k < 10; k++) {
            int v = (buf[3 * k] & 0xFF) << 16 | (buf[3 * k + 1] & 0xFF) << 8 | (buf[3 * k + 2] & 0xFF);
            buf[4 * k] = ALPHABET[v >> 18 & 63];
            buf[4 * k + 1] = ALPHABET[v >> 12 & 63];
            buf[4 * k + 2] = ALPHABET[v >> 6 & 63];
            buf[4 * k + 3] = ALPHABET[v & 63];
        }
        int v = (buf[30] & 0xFF) << 8 | (buf[31] & 0xFF);
        buf[40] = ALPHABET[v >> 10 & 63];
        buf[41] = ALPHABET[v >> 4 & 63];
        buf[42] = ALPHABET[v << 2 & 63];
        return new String(buf, StandardCharsets.US_ASCII);
    }
}
