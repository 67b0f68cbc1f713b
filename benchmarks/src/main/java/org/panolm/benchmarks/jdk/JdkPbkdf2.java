package org.panolm.benchmarks.jdk;

import java.security.GeneralSecurityException;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** PBKDF2-HMAC-SHA-512 by the JDK's {@code PBKDF2WithHmacSHA512} (passphrase chars as UTF-8). */
public final class JdkPbkdf2 {
    private final SecretKeyFactory factory;

    public JdkPbkdf2() throws GeneralSecurityException {
        factory = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512");
    }

    public byte[] derive(char[] passphrase, byte[] salt, int iterations, int bytes) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, bytes * 8);
        try {
            return factory.generateSecret(spec).getEncoded();
        } finally {
            spec.clearPassword();
        }
    }
}
