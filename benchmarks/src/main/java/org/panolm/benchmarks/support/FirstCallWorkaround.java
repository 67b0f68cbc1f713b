package org.panolm.benchmarks.support;

import org.panolm.subtle.Aes;

/**
 * libpanolm's first AES-CBC decryption in a process fails with INTERNAL when it comes from inside the
 * engine (Megolm, backup) rather than through {@code panolm_aes256_cbc_*}: native/src/aes.c passes the
 * lazily fetched cipher to its helper before fetching it. Until that is fixed there, one public AES call
 * at set-up, outside any timing, makes the fetch happen first. Remove this class with the fix.
 */
public final class FirstCallWorkaround {
    private FirstCallWorkaround() {}

    public static void apply() {
        Aes.cbcEncrypt(new byte[32], new byte[16], new byte[1]);
    }
}
