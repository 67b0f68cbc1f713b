package org.panolm.verification.sas;

import java.util.Arrays;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.subtle.X25519;

/**
 * The ephemeral X25519 key pair of one SAS verification. Agreeing with the peer's key gives an
 * {@link EstablishedSas} and wipes the private key, so one pair serves exactly one agreement.
 * Thread-safe; closing is idempotent and use after close throws {@link IllegalStateException}.
 */
public final class SasKeyPair implements AutoCloseable {
    private byte[] privateKey;
    private final byte[] publicKey;

    private SasKeyPair(byte[] privateKey) {
        this.privateKey = privateKey;
        this.publicKey = X25519.publicKey(privateKey);
    }

    /**
     * A fresh random key pair.
     *
     * @return the key pair; the caller closes it
     */
    public static SasKeyPair generate() {
        return new SasKeyPair(SecureRandomBytes.next(X25519.KEY_LENGTH));
    }

    /**
     * A key pair from a given private key (a copy is kept); for known-answer tests and cross-checks.
     *
     * @param privateKey the 32-byte private key
     * @return the key pair; the caller closes it
     */
    public static SasKeyPair fromPrivateKey(byte[] privateKey) {
        if (privateKey == null || privateKey.length != X25519.KEY_LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "an SAS private key must be 32 bytes");
        }
        return new SasKeyPair(privateKey.clone());
    }

    /**
     * Our ephemeral public key.
     *
     * @return a copy of the 32 bytes
     */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * Our ephemeral public key as {@code m.key.verification.key} carries it.
     *
     * @return unpadded base64
     */
    public String publicKeyBase64() {
        return MatrixBase64.encode(publicKey);
    }

    /**
     * X25519 with the peer's key (unpadded base64). A low-order peer key fails with
     * {@code NON_CONTRIBUTORY}; a malformed one with {@code BAD_BASE64} or {@code BAD_KEY}.
     *
     * @param theirPublicKeyBase64 their ephemeral key
     * @return the established SAS
     */
    public synchronized EstablishedSas agree(String theirPublicKeyBase64) {
        byte[] priv = requireOpen();
        byte[] theirs = MatrixBase64.decode(theirPublicKeyBase64, X25519.KEY_LENGTH, "the peer's SAS key");
        byte[] shared = X25519.sharedSecret(priv, theirs);
        close();
        return new EstablishedSas(shared, publicKey, theirs);
    }

    private byte[] requireOpen() {
        if (privateKey == null) {
            throw new IllegalStateException("this SAS key pair was closed or already used");
        }
        return privateKey;
    }

    @Override
    public synchronized void close() {
        if (privateKey != null) {
            Arrays.fill(privateKey, (byte) 0);
            privateKey = null;
        }
    }

    @Override
    public String toString() {
        return "SasKeyPair[public=" + publicKeyBase64() + "]";
    }
}
