package org.panolm.crosssigning;

import java.util.Arrays;


import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.json.JsonSigning;
import org.panolm.subtle.Ed25519;
import org.panolm.subtle.SecureRandomBytes;

/**
 * The private half of one cross-signing key: a 32-byte Ed25519 seed, the form secret storage keeps
 * ({@code m.cross_signing.master} etc.: base64 of the seed) and libolm's {@code olm_pk_signing} takes.
 * Thread-safe; closing wipes the seed, is idempotent, and use after close throws {@link IllegalStateException}.
 */
public final class CrossSigningPrivateKey implements AutoCloseable {
    private final String userId;
    private final KeyUsage usage;
    private final String publicKey;
    private byte[] seed;

    private CrossSigningPrivateKey(String userId, KeyUsage usage, byte[] seed) {
        this.userId = userId;
        this.usage = usage;
        this.seed = seed;
        this.publicKey = MatrixBase64.encode(Ed25519.publicKey(seed));
    }

    /**
     * A new random key.
     *
     * @param userId the user it belongs to
     * @param usage its role
     * @return the key; the caller closes it
     */
    public static CrossSigningPrivateKey generate(String userId, KeyUsage usage) {
        return new CrossSigningPrivateKey(userId, usage, SecureRandomBytes.next(Ed25519.SEED_LENGTH));
    }

    /**
     * From a seed (a copy is kept; the caller wipes its own).
     *
     * @param userId the user it belongs to
     * @param usage its role
     * @param seed the 32-byte Ed25519 seed
     * @return the key; the caller closes it
     */
    public static CrossSigningPrivateKey fromSeed(String userId, KeyUsage usage, byte[] seed) {
        if (seed == null || seed.length != Ed25519.SEED_LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "a " + usage.wireName() + " seed must be 32 bytes");
        }
        return new CrossSigningPrivateKey(userId, usage, seed.clone());
    }

    /**
     * From the base64 text secret storage holds (padded or not).
     *
     * @param userId the user it belongs to
     * @param usage its role
     * @param base64 the seed in base64
     * @return the key; the caller closes it
     */
    public static CrossSigningPrivateKey fromBase64Seed(String userId, KeyUsage usage, String base64) {
        byte[] seed = MatrixBase64.decode(base64, Ed25519.SEED_LENGTH, usage.wireName() + " seed");
        try {
            return new CrossSigningPrivateKey(userId, usage, seed);
        } catch (RuntimeException e) {
            Arrays.fill(seed, (byte) 0);
            throw e;
        }
    }

    /**
     * The user the key belongs to.
     *
     * @return the user id
     */
    public String userId() {
        return userId;
    }

    /**
     * The key's role.
     *
     * @return the usage
     */
    public KeyUsage usage() {
        return usage;
    }

    /**
     * The public key.
     *
     * @return unpadded base64 of the Ed25519 public key
     */
    public String publicKey() {
        return publicKey;
    }

    /**
     * The seed as unpadded base64, for secret storage. The one deliberate way out for the secret.
     *
     * @return the seed in unpadded base64
     */
    public synchronized String exportSeedBase64() {
        return MatrixBase64.encode(requireOpen());
    }

    /**
     * A signed copy of {@code object} with this key's signature under {@code signatures[userId]["ed25519:<pub>"]}.
     *
     * @param json the object to sign, as JSON text
     * @return the signed copy, as canonical JSON text
     */
    public synchronized String sign(String json) {
        return JsonSigning.sign(json, userId, publicKey, requireOpen());
    }

    /**
     * The unsigned public key object of this key.
     *
     * @return the key object
     */
    public CrossSigningKey publicKeyObject() {
        return CrossSigningKey.unsigned(userId, usage, publicKey);
    }

    private byte[] requireOpen() {
        if (seed == null) {
            throw new IllegalStateException("this " + usage.wireName() + " key was closed");
        }
        return seed;
    }

    @Override
    public synchronized void close() {
        if (seed != null) {
            Arrays.fill(seed, (byte) 0);
            seed = null;
        }
    }

    @Override
    public String toString() {
        return "CrossSigningPrivateKey[" + userId + ", " + usage.wireName() + ", public=" + publicKey + "]";
    }
}
