package org.panolm.benchmarks.jdk;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.panolm.backup.SessionData;

/**
 * {@code m.megolm_backup.v1.curve25519-aes-sha2} (docs/formats.md §2.2 to §2.4) on the JDK's own providers:
 * X25519 by SunEC's XDH, the HKDF {@code KDF}, AES/CBC/PKCS5Padding, HmacSHA256 (over the empty string,
 * the scheme's legacy MAC quirk). Not thread-safe.
 */
public final class JdkBackup {
    private static final byte[] EMPTY = new byte[0];
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    private final KeyPairGenerator x25519;
    private final KeyAgreement agreement;
    private final JdkHkdf hkdf;
    private final Mac mac;
    private final Cipher aes;

    public JdkBackup() throws GeneralSecurityException {
        x25519 = KeyPairGenerator.getInstance("X25519");
        agreement = KeyAgreement.getInstance("XDH");
        hkdf = new JdkHkdf();
        mac = Mac.getInstance("HmacSHA256");
        aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
    }

    public SessionData encrypt(PublicKey backupKey, byte[] plaintext) throws GeneralSecurityException {
        KeyPair ephemeral = x25519.generateKeyPair();
        agreement.init(ephemeral.getPrivate());
        agreement.doPhase(backupKey, true);
        byte[] okm = keys(agreement.generateSecret());
        try {
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(okm, 0, 32, "AES"), new IvParameterSpec(okm, 64, 16));
            byte[] ciphertext = aes.doFinal(plaintext);
            return new SessionData(B64.encodeToString(JdkKeys.raw(ephemeral.getPublic())),
                    B64.encodeToString(ciphertext), B64.encodeToString(macOf(okm)));
        } finally {
            Arrays.fill(okm, (byte) 0);
        }
    }

    public byte[] decrypt(PrivateKey backupKey, SessionData m) throws GeneralSecurityException {
        Base64.Decoder d = Base64.getDecoder();
        agreement.init(backupKey);
        agreement.doPhase(JdkKeys.x25519Public(d.decode(m.ephemeral())), true);
        byte[] okm = keys(agreement.generateSecret());
        try {
            if (!MessageDigest.isEqual(macOf(okm), d.decode(m.mac()))) throw new GeneralSecurityException("bad MAC");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(okm, 0, 32, "AES"), new IvParameterSpec(okm, 64, 16));
            return aes.doFinal(d.decode(m.ciphertext()));
        } finally {
            Arrays.fill(okm, (byte) 0);
        }
    }

    private byte[] keys(byte[] shared) throws GeneralSecurityException {
        try {
            return hkdf.derive(shared, EMPTY, 80);
        } finally {
            Arrays.fill(shared, (byte) 0);
        }
    }

    /** The first 8 bytes of HMAC(mac_key, "") — libolm's quirk, which every implementation keeps. */
    private byte[] macOf(byte[] okm) throws GeneralSecurityException {
        mac.init(new SecretKeySpec(okm, 32, 32, "HmacSHA256"));
        return Arrays.copyOf(mac.doFinal(), 8);
    }
}
