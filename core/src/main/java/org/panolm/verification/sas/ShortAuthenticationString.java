package org.panolm.verification.sas;

import java.util.ArrayList;
import java.util.List;

import org.panolm.PanolmException;
import org.panolm.Status;

/**
 * The six SAS bytes both parties derive (docs/formats.md §9.1), and their two renderings: seven emoji from the
 * first 42 bits, and three decimals from the first 39 bits. These bytes are shown to people, so they are
 * not secret.
 */
public final class ShortAuthenticationString {
    /** The number of SAS bytes. */
    public static final int LENGTH = 6;

    private final byte[] bytes;

    /**
     * A short authentication string of six bytes.
     *
     * @param bytes the six SAS bytes; copied
     */
    public ShortAuthenticationString(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "SAS bytes must be " + LENGTH + " bytes");
        }
        this.bytes = bytes.clone();
    }

    /**
     * The six bytes.
     *
     * @return a copy of the bytes
     */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * Seven 6-bit big-endian groups of the first 42 bits.
     *
     * @return seven numbers, 0 to 63
     */
    public int[] emojiIndices() {
        long n = 0;
        for (byte b : bytes) {
            n = n << 8 | (b & 0xFF);
        }
        int[] out = new int[7];
        for (int k = 0; k < 7; k++) {
            out[k] = (int) (n >>> (42 - 6 * k)) & 63;
        }
        return out;
    }

    /**
     * The seven emoji.
     *
     * @return the emoji, in order
     */
    public List<SasEmoji> emoji() {
        List<SasEmoji> out = new ArrayList<>(7);
        for (int i : emojiIndices()) {
            out.add(SasEmoji.of(i));
        }
        return List.copyOf(out);
    }

    /**
     * Three 13-bit groups of the first 39 bits, each plus 1000.
     *
     * @return the three numbers
     */
    public DecimalCode decimals() {
        int b0 = bytes[0] & 0xFF;
        int b1 = bytes[1] & 0xFF;
        int b2 = bytes[2] & 0xFF;
        int b3 = bytes[3] & 0xFF;
        int b4 = bytes[4] & 0xFF;
        return new DecimalCode((b0 << 5 | b1 >> 3) + 1000,
                ((b1 & 7) << 10 | b2 << 2 | b3 >> 6) + 1000,
                ((b3 & 0x3F) << 7 | b4 >> 1) + 1000);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShortAuthenticationString s && java.util.Arrays.equals(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SAS" + emoji().stream().map(SasEmoji::description).toList() + " " + decimals();
    }
}
