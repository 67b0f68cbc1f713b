package org.panolm.benchmarks.jdk;

import java.security.GeneralSecurityException;

import javax.crypto.KDF;
import javax.crypto.spec.HKDFParameterSpec;

/** HKDF-SHA-256 through the JDK 25 {@code javax.crypto.KDF} API, with Matrix's all-zero salt. */
public final class JdkHkdf {
    private static final byte[] ZERO_SALT = new byte[32];

    private final KDF kdf;

    public JdkHkdf() throws GeneralSecurityException {
        kdf = KDF.getInstance("HKDF-SHA256");
    }

    public byte[] derive(byte[] ikm, byte[] info, int length) throws GeneralSecurityException {
        return kdf.deriveData(HKDFParameterSpec.ofExtract().addIKM(ikm).addSalt(ZERO_SALT).thenExpand(info, length));
    }
}
