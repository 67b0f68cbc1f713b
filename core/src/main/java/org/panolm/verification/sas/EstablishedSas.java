package org.panolm.verification.sas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.subtle.Kdf;
import org.panolm.subtle.Mac;

/**
 * The X25519 shared secret of one SAS verification and what is derived from it: the short authentication
 * bytes and the MACs of the keys being verified. Thread-safe; closing wipes the secret, is idempotent,
 * and use after close throws {@link IllegalStateException}.
 */
public final class EstablishedSas implements AutoCloseable {
    private static final byte[] NO_SALT = new byte[0];

    private byte[] shared;
    private final byte[] ourPublicKey;
    private final byte[] theirPublicKey;

    EstablishedSas(byte[] shared, byte[] ourPublicKey, byte[] theirPublicKey) {
        this.shared = shared;
        this.ourPublicKey = ourPublicKey.clone();
        this.theirPublicKey = theirPublicKey.clone();
    }

    /**
     * Our ephemeral public key.
     *
     * @return unpadded base64
     */
    public String ourPublicKeyBase64() {
        return MatrixBase64.encode(ourPublicKey);
    }

    /**
     * The other side's ephemeral public key.
     *
     * @return unpadded base64
     */
    public String theirPublicKeyBase64() {
        return MatrixBase64.encode(theirPublicKey);
    }

    /**
     * {@code length} bytes of HKDF(shared secret, info); libolm's {@code olm_sas_generate_bytes}.
     *
     * @param info the HKDF info string
     * @param length how many bytes
     * @return the bytes
     */
    public synchronized byte[] generateBytes(String info, int length) {
        if (length < 1 || length > 255 * 32) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "SAS byte count must be 1..8160, not " + length);
        }
        return Kdf.hkdfSha256(NO_SALT, requireOpen(), utf8(info), length);
    }

    /**
     * The short authentication string for an info string made by {@link SasInfo#sasBytes}.
     *
     * @param info the info string
     * @return the short authentication string
     */
    public ShortAuthenticationString shortAuthenticationString(String info) {
        return new ShortAuthenticationString(generateBytes(info, ShortAuthenticationString.LENGTH));
    }

    /**
     * The MAC of {@code input} (a public key in base64, or the comma-joined key ids) as it goes on the wire.
     *
     * @param input the MAC'd text
     * @param info the HKDF info string
     * @param method the MAC method agreed on
     * @return the MAC text
     */
    public synchronized String calculateMac(String input, String info, SasMacMethod method) {
        byte[] key = Kdf.hkdfSha256(NO_SALT, requireOpen(), utf8(info), method.keyLength());
        try {
            byte[] mac = Mac.hmacSha256(key, utf8(input));
            return method.mangledBase64() ? LibolmMangledBase64.encode(mac) : MatrixBase64.encode(mac);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Checks a received MAC in constant time.
     *
     * @param input the MAC'd text
     * @param info the HKDF info string
     * @param method the MAC method agreed on
     * @param receivedMac the MAC text received
     * @return whether it matches
     */
    public boolean verifyMac(String input, String info, SasMacMethod method, String receivedMac) {
        byte[] expected = calculateMac(input, info, method).getBytes(StandardCharsets.US_ASCII);
        return receivedMac != null && MessageDigest.isEqual(expected, receivedMac.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] requireOpen() {
        if (shared == null) {
            throw new IllegalStateException("this SAS was closed");
        }
        return shared;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        if (shared != null) {
            Arrays.fill(shared, (byte) 0);
            shared = null;
        }
    }

    @Override
    public String toString() {
        return "EstablishedSas[ours=" + ourPublicKeyBase64() + ", theirs=" + theirPublicKeyBase64() + "]";
    }
}
