package org.panolm.cli;

import org.panolm.subtle.Aes;

/**
 * Makes libpanolm fetch its OpenSSL ciphers before the first bulk call. Works around a core defect: the
 * internal CBC decryption used by Megolm reads the cipher before the one-time fetch has run, so the very
 * first Megolm decryption of a process fails with INTERNAL. Remove once the library fetches it itself.
 */
public final class NativeWarmUp {
    private NativeWarmUp() {}

    private static volatile boolean done;

    public static void ensure() {
        if (!done) {
            Aes.cbcEncrypt(new byte[32], new byte[16], new byte[0]);
            done = true;
        }
    }
}
