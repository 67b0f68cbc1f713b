package org.panolm.recovery;

import java.util.Arrays;

import org.panolm.PanolmException;
import org.panolm.Status;

import org.panolm.recovery.RecoveryKeyException.Reason;

/**
 * The Security Key (recovery key) encoding of a 32-byte key, docs/formats.md §3: {@code 0x8B 0x01 | key | parity}
 * (parity = XOR of the 34 bytes before it), base58 with the Bitcoin alphabet, shown in groups of four. Used
 * for secret-storage keys and legacy backup decryption keys; the key is always 32 bytes.
 *
 * <p>Decoding ignores every Unicode whitespace character and checks, in this order: alphabet, length,
 * prefix, parity, each with its own {@link Reason}. The arithmetic runs over fixed-size buffers and the
 * alphabet lookups scan the whole alphabet, so the time taken does not depend on the key's value.
 */
public final class RecoveryKey {
    private RecoveryKey() {}

    /** The length of the key a Security Key encodes, in bytes. */
    public static final int KEY_LENGTH = 32;
    private static final byte PREFIX0 = (byte) 0x8B;
    private static final byte PREFIX1 = 0x01;
    private static final int DECODED_LENGTH = 2 + KEY_LENGTH + 1;
    /** Base58 of any 35-byte value starting with 0x8B has exactly 48 digits. */
    private static final int ENCODED_LENGTH = 48;
    /** Longer inputs are rejected before any arithmetic. */
    private static final int MAX_DIGITS = 96;
    /** 96 base58 digits are below 2^563: 71 bytes hold any accepted input. */
    private static final int VALUE_BYTES = 71;
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /**
     * Encodes {@code key} (32 bytes) as 12 groups of four characters separated by spaces.
     *
     * @param key the 32-byte key
     * @return the Security Key text
     */
    public static String encode(byte[] key) {
        if (key == null || key.length != KEY_LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "a recovery key encodes exactly " + KEY_LENGTH + " bytes");
        }
        byte[] buf = new byte[DECODED_LENGTH];
        buf[0] = PREFIX0;
        buf[1] = PREFIX1;
        System.arraycopy(key, 0, buf, 2, KEY_LENGTH);
        byte parity = 0;
        for (int i = 0; i < DECODED_LENGTH - 1; i++) parity ^= buf[i];
        buf[DECODED_LENGTH - 1] = parity;

        int[] digits = new int[ENCODED_LENGTH];
        for (byte b : buf) {
            int carry = b & 0xFF;
            for (int j = ENCODED_LENGTH - 1; j >= 0; j--) {
                carry += digits[j] << 8;
                digits[j] = carry % 58;
                carry /= 58;
            }
        }
        char[] out = new char[ENCODED_LENGTH + ENCODED_LENGTH / 4 - 1];
        int o = 0;
        for (int i = 0; i < ENCODED_LENGTH; i++) {
            if (i > 0 && i % 4 == 0) out[o++] = ' ';
            out[o++] = symbol(digits[i]);
        }
        Arrays.fill(buf, (byte) 0);
        Arrays.fill(digits, 0);
        return new String(out);
    }

    /**
     * Decodes a Security Key as a user may have typed or pasted it.
     *
     * @param text the Security Key; spaces and other whitespace anywhere are ignored
     * @return the 32-byte key
     */
    public static byte[] decode(String text) {
        if (text == null) throw new RecoveryKeyException(Reason.BAD_LENGTH);
        int[] digits = new int[MAX_DIGITS];
        int count = 0;
        boolean badCharacter = false;
        boolean tooLong = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isWhitespace(cp)) continue;
            int d = digit(cp);
            badCharacter |= d < 0;
            if (count < MAX_DIGITS) digits[count] = d; else tooLong = true;
            count++;
        }
        try {
            if (badCharacter) throw new RecoveryKeyException(Reason.BAD_CHARACTER);
            if (tooLong) throw new RecoveryKeyException(Reason.BAD_LENGTH);
            return checkedKey(digits, count);
        } finally {
            Arrays.fill(digits, 0);
        }
    }

    /** Base58 as Bitcoin defines it (each leading '1' is a zero byte), then length, prefix and parity. */
    private static byte[] checkedKey(int[] digits, int count) {
        byte[] value = new byte[VALUE_BYTES];
        try {
            int leadingOnes = 0;
            while (leadingOnes < count && digits[leadingOnes] == 0) leadingOnes++;
            for (int i = 0; i < count; i++) {
                int carry = digits[i];
                for (int j = value.length - 1; j >= 0; j--) {
                    carry += (value[j] & 0xFF) * 58;
                    value[j] = (byte) carry;
                    carry >>>= 8;
                }
            }
            int significant = value.length;
            while (significant > 0 && value[value.length - significant] == 0) significant--;
            if (leadingOnes + significant != DECODED_LENGTH) throw new RecoveryKeyException(Reason.BAD_LENGTH);
            int from = value.length - DECODED_LENGTH; // leading '1's are the zero bytes already there
            int prefixDiff = (value[from] ^ PREFIX0) | (value[from + 1] ^ PREFIX1);
            int parity = 0;
            for (int i = from; i < value.length; i++) parity ^= value[i];
            if (prefixDiff != 0) throw new RecoveryKeyException(Reason.BAD_PREFIX);
            if (parity != 0) throw new RecoveryKeyException(Reason.BAD_PARITY);
            return Arrays.copyOfRange(value, from + 2, from + 2 + KEY_LENGTH);
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    /**
     * The encoding without spaces, for comparing or storing.
     *
     * @param key the 32-byte key
     * @return the Security Key text without spaces
     */
    public static String encodeCompact(byte[] key) {
        return encode(key).replace(" ", "");
    }

    /** Unicode White_Space: what Character.isWhitespace misses are the no-break spaces and NEL. */
    private static boolean isWhitespace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    /** The digit of {@code cp}, or -1; scans the whole alphabet so the time does not depend on the digit. */
    private static int digit(int cp) {
        int found = -1;
        for (int i = 0; i < 58; i++) {
            int eq = ((ALPHABET.charAt(i) ^ cp) - 1) >> 31; // -1 when equal, else 0
            found = (found & ~eq) | (i & eq);
        }
        return found;
    }

    private static char symbol(int d) {
        int c = 0;
        for (int i = 0; i < 58; i++) {
            int eq = ((i ^ d) - 1) >> 31;
            c |= ALPHABET.charAt(i) & eq;
        }
        return (char) c;
    }
}
