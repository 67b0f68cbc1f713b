package org.panolm.benchmarks.floor;

/** Byte counts of a version-3 Megolm message carrying {@code plaintext} bytes (docs/formats.md §1.4). */
final class MegolmShapes {
    private MegolmShapes() {}

    static int ciphertext(int plaintext) {
        return plaintext - plaintext % 16 + 16;
    }

    /** Version, index field (small index), ciphertext field: what the MAC covers. */
    static int macInput(int plaintext) {
        int ct = ciphertext(plaintext);
        return 1 + 2 + 1 + varintLength(ct) + ct;
    }

    /** What the signature covers: the MAC input and the 8-byte MAC. */
    static int signedInput(int plaintext) {
        return macInput(plaintext) + 8;
    }

    private static int varintLength(int v) {
        int n = 1;
        while (v >= 0x80) {
            v >>>= 7;
            n++;
        }
        return n;
    }
}
