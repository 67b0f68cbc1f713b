package org.panolm.subtle;

import static java.lang.foreign.MemorySegment.ofArray;

import org.panolm.bindings.panolm_h;
import org.panolm.internal.NativeStatus;

/** X25519 (libsodium); a low-order peer key fails with {@code NON_CONTRIBUTORY}. */
public final class X25519 {
    private X25519() {}

    /** The length of private keys, public keys and shared secrets, in bytes. */
    public static final int KEY_LENGTH = 32;

    /**
     * The public key of a private key.
     *
     * @param privateKey the 32-byte private key
     * @return the 32-byte public key
     */
    public static byte[] publicKey(byte[] privateKey) {
        Lengths.require(privateKey, KEY_LENGTH, "X25519 private key");
        byte[] pub = new byte[KEY_LENGTH];
        NativeStatus.check(panolm_h.panolm_x25519_public(ofArray(privateKey), ofArray(pub)), "X25519 public key");
        return pub;
    }

    /**
     * The shared secret of a private key and a peer's public key.
     *
     * @param privateKey our 32-byte private key
     * @param peerPublicKey their 32-byte public key
     * @return the 32-byte shared secret
     */
    public static byte[] sharedSecret(byte[] privateKey, byte[] peerPublicKey) {
        Lengths.require(privateKey, KEY_LENGTH, "X25519 private key");
        Lengths.require(peerPublicKey, KEY_LENGTH, "X25519 public key");
        byte[] shared = new byte[KEY_LENGTH];
        NativeStatus.check(panolm_h.panolm_x25519(ofArray(privateKey), ofArray(peerPublicKey), ofArray(shared)),
                "X25519 key agreement");
        return shared;
    }
}
