package org.panolm.benchmarks.jdk;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The Megolm ratchet (docs/formats.md §1.2) on HmacSHA256: four 32-byte parts and a 32-bit counter. */
public final class JdkMegolmRatchet {
    private static final int[] MASKS = {0x00FFFFFF, 0x0000FFFF, 0x000000FF};

    private final byte[][] parts = new byte[4][32];
    private final Mac hmac;
    private int counter;

    public JdkMegolmRatchet(byte[] data128, int counter) throws GeneralSecurityException {
        for (int i = 0; i < 4; i++) System.arraycopy(data128, 32 * i, parts[i], 0, 32);
        this.counter = counter;
        hmac = Mac.getInstance("HmacSHA256");
    }

    public JdkMegolmRatchet copy() throws GeneralSecurityException {
        return new JdkMegolmRatchet(bytes(), counter);
    }

    public int counter() {
        return counter;
    }

    /** The 128 ratchet bytes, R0 || R1 || R2 || R3. */
    public byte[] bytes() {
        byte[] out = new byte[128];
        for (int i = 0; i < 4; i++) System.arraycopy(parts[i], 0, out, 32 * i, 32);
        return out;
    }

    public void advance() throws GeneralSecurityException {
        counter++;
        int h = 3;
        for (int j = 0; j < 3; j++) {
            if ((counter & MASKS[j]) == 0) {
                h = j;
                break;
            }
        }
        rehashFrom(h);
    }

    public void advanceTo(int target) throws GeneralSecurityException {
        for (int j = 0; j < 4; j++) {
            int shift = 8 * (3 - j);
            int steps = ((target >>> shift) - (counter >>> shift)) & 0xFF;
            if (steps == 0) {
                if (Integer.compareUnsigned(target, counter) < 0) {
                    steps = 256;
                } else {
                    continue;
                }
            }
            for (int s = 1; s < steps; s++) {
                hash(parts[j], j, parts[j]);
            }
            rehashFrom(j);
            counter = target & (int) (0xFFFFFFFFL << shift);
        }
    }

    /** R[i] = HMAC(R[h], i) for i = 3 down to h; R[h] is overwritten last, so all read its old value. */
    private void rehashFrom(int h) throws GeneralSecurityException {
        for (int i = 3; i >= h; i--) {
            hash(parts[h], i, parts[i]);
        }
    }

    private void hash(byte[] key, int seed, byte[] out) throws GeneralSecurityException {
        hmac.init(new SecretKeySpec(key, "HmacSHA256"));
        hmac.update((byte) seed);
        hmac.doFinal(out, 0);
    }

    /** Wipes the ratchet parts. */
    public void wipe() {
        for (byte[] p : parts) Arrays.fill(p, (byte) 0);
    }
}
