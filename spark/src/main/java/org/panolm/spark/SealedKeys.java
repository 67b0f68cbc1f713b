package org.panolm.spark;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-job key that seals each session's room keys (AES-256-GCM, a random nonce per session, the session
 * id as associated data so a sealed blob cannot be moved to another session) while they travel through
 * Spark: in the plan, through the shuffle, in spill files. Made on the driver, it reaches the executors only
 * inside the task (over Spark's RPC, which the launcher encrypts); it is never put in the Spark
 * configuration, so never in the UI or an event log. {@link #toString()} shows nothing of it.
 */
final class SealedKeys implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final byte[] key;

    private SealedKeys(byte[] key) {
        this.key = key;
    }

    /** A fresh random job key. */
    static SealedKeys generate() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return new SealedKeys(k);
    }

    /** @return nonce ‖ ciphertext ‖ tag */
    byte[] seal(String sessionId, byte[] plaintext) {
        byte[] nonce = new byte[NONCE];
        new SecureRandom().nextBytes(nonce);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, nonce, sessionId);
            byte[] out = new byte[NONCE + c.getOutputSize(plaintext.length)];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            c.doFinal(plaintext, 0, plaintext.length, out, NONCE);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /**
     * @return the plaintext; the caller wipes it when done
     * @throws IllegalStateException when the blob was not sealed by this job's key for this session
     */
    byte[] open(String sessionId, byte[] sealed) {
        if (sealed.length < NONCE + TAG_BITS / 8) {
            throw new IllegalStateException("the sealed keys of a session are truncated");
        }
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(sealed, NONCE), sessionId);
            return c.doFinal(sealed, NONCE, sealed.length - NONCE);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException("the sealed keys of a session do not open with this job's key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String sessionId) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(sessionId.getBytes(StandardCharsets.UTF_8));
        return c;
    }

    @Override
    public String toString() {
        return "SealedKeys[job key hidden]";
    }
}
