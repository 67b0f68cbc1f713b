package org.panolm.benchmarks.jdk;

import java.io.ByteArrayOutputStream;

/**
 * The version-3 Megolm message (docs/formats.md §1.4), parsed and encoded in Java: version, varint index,
 * ciphertext, 8-byte MAC, 64-byte signature. Parsing checks every length it reads.
 */
public record JdkMegolmMessage(int index, int ciphertextOffset, int ciphertextLength, int macOffset, byte[] bytes) {
    public static final int MAC_LENGTH = 8;
    public static final int SIGNATURE_LENGTH = 64;

    public static JdkMegolmMessage parse(byte[] m) {
        if (m.length < 1 + MAC_LENGTH + SIGNATURE_LENGTH) throw new IllegalArgumentException("message too short");
        if (m[0] != 3) throw new IllegalArgumentException("bad version " + m[0]);
        int end = m.length - MAC_LENGTH - SIGNATURE_LENGTH;
        int pos = 1;
        long index = -1;
        int ctOff = -1;
        int ctLen = -1;
        while (pos < end) {
            int tag = m[pos++] & 0xFF;
            long[] v = new long[1];
            pos = varint(m, pos, end, v);
            if (tag == 0x08) {
                index = v[0];
            } else if (tag == 0x12) {
                if (v[0] > end - pos) throw new IllegalArgumentException("ciphertext runs past the message");
                ctOff = pos;
                ctLen = (int) v[0];
                pos += ctLen;
            } else if ((tag & 7) == 2) {
                if (v[0] > end - pos) throw new IllegalArgumentException("field runs past the message");
                pos += (int) v[0];
            } else if ((tag & 7) != 0) {
                throw new IllegalArgumentException("unknown wire type " + (tag & 7));
            }
        }
        if (index < 0 || index > 0xFFFFFFFFL || ctOff < 0) throw new IllegalArgumentException("missing field");
        return new JdkMegolmMessage((int) index, ctOff, ctLen, end, m);
    }

    private static int varint(byte[] m, int pos, int end, long[] out) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) throw new IllegalArgumentException("truncated varint");
            int b = m[pos++] & 0xFF;
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                out[0] = value;
                return pos;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }

    /** Version, index and ciphertext fields, to which the sender appends MAC and signature. */
    public static byte[] encodeBody(int index, byte[] ciphertext) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ciphertext.length + 16);
        out.write(3);
        out.write(0x08);
        writeVarint(out, Integer.toUnsignedLong(index));
        out.write(0x12);
        writeVarint(out, ciphertext.length);
        out.writeBytes(ciphertext);
        return out.toByteArray();
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while (v >= 0x80) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }
}
