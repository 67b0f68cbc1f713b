package org.panolm.spark;

/**
 * The message index a Megolm ciphertext carries in its clear header (version byte 3, then field 1 as a
 * varint), read from the first base64 characters only. Used to sort a session's events so its ratchet
 * moves forward once; the decryption itself reads the index again and checks everything.
 */
final class CiphertextIndex {
    private CiphertextIndex() {}

    /** @return the index, or -1 when the text does not start like a Megolm message */
    static long of(CharSequence base64) {
        if (base64 == null) {
            return -1;
        }
        // 16 characters are 12 bytes: the version, the tag and a varint of up to 10 bytes.
        byte[] head = new byte[12];
        int n = decodePrefix(base64, head);
        if (n < 3 || head[0] != 3 || head[1] != 0x08) {
            return -1;
        }
        long value = 0;
        for (int i = 2, shift = 0; i < n && shift < 64; i++, shift += 7) {
            value |= (long) (head[i] & 0x7f) << shift;
            if ((head[i] & 0x80) == 0) {
                return value < 0 || value > 0xffffffffL ? -1 : value;
            }
        }
        return -1;
    }

    private static int decodePrefix(CharSequence s, byte[] out) {
        int bits = 0;
        int acc = 0;
        int n = 0;
        for (int i = 0; i < s.length() && n < out.length; i++) {
            int v = value(s.charAt(i));
            if (v < 0) {
                break;
            }
            acc = acc << 6 | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[n++] = (byte) (acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }
        return n;
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    }
}
