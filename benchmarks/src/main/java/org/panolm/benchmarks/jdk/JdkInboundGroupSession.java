package org.panolm.benchmarks.jdk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Megolm receiver written with the JDK's own providers only (SunEC Ed25519, HmacSHA256, the HKDF
 * {@code KDF}, AES/CBC/PKCS5Padding): what a Java developer would write without native code. Keeps
 * the first ratchet and a latest one, choosing between them as libolm does. Not thread-safe.
 */
public final class JdkInboundGroupSession {
    private static final byte[] MEGOLM_KEYS = "MEGOLM_KEYS".getBytes(StandardCharsets.US_ASCII);

    private final JdkMegolmRatchet initial;
    private JdkMegolmRatchet latest;
    private final PublicKey signingKey;
    private final Signature verifier;
    private final JdkHkdf hkdf;
    private final Mac mac;
    private final Cipher aes;

    /** From a docs/formats.md §1.5 session key (version 2), whose signature is checked. */
    public JdkInboundGroupSession(String sessionKeyBase64) throws GeneralSecurityException {
        byte[] k = Base64.getDecoder().decode(sessionKeyBase64);
        try {
            if (k.length != 229 || k[0] != 2) throw new IllegalArgumentException("not a version-2 session key");
            signingKey = JdkKeys.ed25519Public(Arrays.copyOfRange(k, 133, 165));
            verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(signingKey);
            verifier.update(k, 0, 165);
            if (!verifier.verify(k, 165, 64)) throw new GeneralSecurityException("session key signature");
            initial = new JdkMegolmRatchet(Arrays.copyOfRange(k, 5, 133), ByteBuffer.wrap(k, 1, 4).getInt());
            latest = initial.copy();
        } finally {
            Arrays.fill(k, (byte) 0);
        }
        hkdf = new JdkHkdf();
        mac = Mac.getInstance("HmacSHA256");
        aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
    }

    /** Forgets the latest ratchet, as a fresh import of the session key would. */
    public void reset() throws GeneralSecurityException {
        latest = initial.copy();
    }

    public byte[] decrypt(byte[] base64Message) throws GeneralSecurityException {
        byte[] m = Base64.getDecoder().decode(base64Message);
        JdkMegolmMessage msg = JdkMegolmMessage.parse(m);
        int signed = m.length - JdkMegolmMessage.SIGNATURE_LENGTH;
        verifier.initVerify(signingKey);
        verifier.update(m, 0, signed);
        if (!verifier.verify(m, signed, JdkMegolmMessage.SIGNATURE_LENGTH)) {
            throw new GeneralSecurityException("bad signature");
        }
        JdkMegolmRatchet ratchet = ratchetFor(msg.index());
        byte[] r = ratchet.bytes();
        byte[] okm = hkdf.derive(r, MEGOLM_KEYS, 80);
        Arrays.fill(r, (byte) 0);
        try {
            mac.init(new SecretKeySpec(okm, 32, 32, "HmacSHA256"));
            mac.update(m, 0, msg.macOffset());
            byte[] full = mac.doFinal();
            if (!MessageDigest.isEqual(Arrays.copyOf(full, 8),
                    Arrays.copyOfRange(m, msg.macOffset(), msg.macOffset() + 8))) {
                throw new GeneralSecurityException("bad MAC");
            }
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(okm, 0, 32, "AES"), new IvParameterSpec(okm, 64, 16));
            return aes.doFinal(m, msg.ciphertextOffset(), msg.ciphertextLength());
        } finally {
            Arrays.fill(okm, (byte) 0);
        }
    }

    private JdkMegolmRatchet ratchetFor(int index) throws GeneralSecurityException {
        if (Integer.compareUnsigned(index, latest.counter()) >= 0) {
            latest.advanceTo(index);
            return latest;
        }
        if (Integer.compareUnsigned(index, initial.counter()) < 0) {
            throw new GeneralSecurityException("unknown message index " + Integer.toUnsignedString(index));
        }
        JdkMegolmRatchet r = initial.copy();
        r.advanceTo(index);
        return r;
    }
}
