package org.panolm.subtle;

import static java.lang.foreign.MemorySegment.ofArray;

import org.panolm.Status;
import org.panolm.bindings.panolm_h;
import org.panolm.internal.NativeStatus;

/** Ed25519 with 32-byte seeds (libsodium); verification is strict. */
public final class Ed25519 {
    private Ed25519() {}

    /** The length of a private key seed, in bytes. */
    public static final int SEED_LENGTH = 32;
    /** The length of a public key, in bytes. */
    public static final int PUBLIC_KEY_LENGTH = 32;
    /** The length of a signature, in bytes. */
    public static final int SIGNATURE_LENGTH = 64;

    /**
     * The public key of a seed.
     *
     * @param seed the 32-byte private key seed
     * @return the 32-byte public key
     */
    public static byte[] publicKey(byte[] seed) {
        Lengths.require(seed, SEED_LENGTH, "Ed25519 seed");
        byte[] pub = new byte[PUBLIC_KEY_LENGTH];
        NativeStatus.check(panolm_h.panolm_ed25519_public(ofArray(seed), ofArray(pub)), "Ed25519 key from seed");
        return pub;
    }

    /**
     * Signs {@code message}.
     *
     * @param seed the 32-byte private key seed
     * @param message the bytes to sign
     * @return the 64-byte signature
     */
    public static byte[] sign(byte[] seed, byte[] message) {
        Lengths.require(seed, SEED_LENGTH, "Ed25519 seed");
        byte[] sig = new byte[SIGNATURE_LENGTH];
        NativeStatus.check(panolm_h.panolm_ed25519_sign(ofArray(seed), ofArray(message), message.length, ofArray(sig)),
                "Ed25519 sign");
        return sig;
    }

    /**
     * True when {@code signature} is a valid, canonical signature of {@code message} by {@code publicKey}.
     *
     * @param publicKey the 32-byte public key
     * @param message the signed bytes
     * @param signature the 64-byte signature
     * @return whether it verifies; false for keys or signatures of the wrong length
     */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey.length != PUBLIC_KEY_LENGTH || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        int rc = panolm_h.panolm_ed25519_verify(ofArray(publicKey), ofArray(message), message.length, ofArray(signature));
        if (rc != 0 && rc != Status.BAD_SIGNATURE.code()) {
            NativeStatus.check(rc, "Ed25519 verify");
        }
        return rc == 0;
    }
}
