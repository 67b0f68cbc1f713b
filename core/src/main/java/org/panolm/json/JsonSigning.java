package org.panolm.json;

import java.util.Map;

import org.panolm.internal.json.CanonicalTree;
import org.panolm.internal.json.SignedTree;

/**
 * Signing JSON (docs/formats.md §8.2): an Ed25519 signature covers the canonical JSON of the object without its
 * {@code signatures} and {@code unsigned} members, and is stored under
 * {@code signatures.<entity>.ed25519:<keyId>}. Objects are given as JSON text or as a {@code Map} of Java values
 * (strings, numbers, booleans, null, lists and maps); text is parsed strictly (duplicate keys refused).
 */
public final class JsonSigning {
    private JsonSigning() {}

    /** The member holding signatures. */
    public static final String SIGNATURES = "signatures";
    /** The member a signature never covers. */
    public static final String UNSIGNED = "unsigned";
    /** The algorithm prefix of an Ed25519 key id. */
    public static final String ED25519_PREFIX = "ed25519:";

    /**
     * The exact bytes a signature covers.
     *
     * @param json the signed object, as JSON text
     * @return its canonical JSON without {@code signatures} and {@code unsigned}
     */
    public static byte[] signedBytes(String json) {
        return SignedTree.signedBytes(CanonicalTree.parse(json));
    }

    /**
     * The exact bytes a signature covers.
     *
     * @param object the signed object
     * @return its canonical JSON without {@code signatures} and {@code unsigned}
     */
    public static byte[] signedBytes(Map<String, ?> object) {
        return SignedTree.signedBytes(CanonicalTree.fromMap(object));
    }

    /**
     * The unpadded base64 signature of an object by the Ed25519 key with this 32-byte seed.
     *
     * @param json the object to sign, as JSON text
     * @param seed the Ed25519 private key seed (32 bytes)
     * @return the signature in unpadded base64
     */
    public static String signature(String json, byte[] seed) {
        return SignedTree.signature(CanonicalTree.parse(json), seed);
    }

    /**
     * The object with a signature by {@code entity}'s key {@code ed25519:<keyId>} merged into its
     * {@code signatures}; other signatures and {@code unsigned} are kept.
     *
     * @param json the object to sign, as JSON text
     * @param entity the user id (or server name) that signs
     * @param keyId the part after {@code ed25519:}: a device id, or a cross-signing public key in base64
     * @param seed the Ed25519 private key seed (32 bytes)
     * @return the signed object as canonical JSON text
     */
    public static String sign(String json, String entity, String keyId, byte[] seed) {
        return CanonicalTree.toString(SignedTree.sign(CanonicalTree.parse(json), entity, keyId, seed));
    }

    /**
     * As {@link #sign(String, String, String, byte[])}, for an object given as Java values. The argument is not
     * modified.
     *
     * @param object the object to sign
     * @param entity the user id (or server name) that signs
     * @param keyId the part after {@code ed25519:}
     * @param seed the Ed25519 private key seed (32 bytes)
     * @return a signed copy (ordered maps and lists)
     */
    public static Map<String, Object> sign(Map<String, ?> object, String entity, String keyId, byte[] seed) {
        return CanonicalTree.toMap(SignedTree.sign(CanonicalTree.fromMap(object), entity, keyId, seed));
    }

    /**
     * True when the object carries a valid signature by {@code entity}'s key {@code ed25519:<keyId>}.
     *
     * @param json the signed object, as JSON text
     * @param entity the user id (or server name) that signed
     * @param keyId the part after {@code ed25519:}
     * @param publicKey the Ed25519 public key (32 bytes)
     * @return whether the signature is there and valid (false for text that is not a JSON object)
     */
    public static boolean isSignedBy(String json, String entity, String keyId, byte[] publicKey) {
        try {
            verify(json, entity, keyId, publicKey);
            return true;
        } catch (org.panolm.PanolmException e) {
            return false;
        }
    }

    /**
     * True when the object carries a valid signature by {@code entity}'s key {@code ed25519:<keyId>}.
     *
     * @param object the signed object
     * @param entity the user id (or server name) that signed
     * @param keyId the part after {@code ed25519:}
     * @param publicKey the Ed25519 public key (32 bytes)
     * @return whether the signature is there and valid
     */
    public static boolean isSignedBy(Map<String, ?> object, String entity, String keyId, byte[] publicKey) {
        return SignedTree.isSignedBy(CanonicalTree.fromMap(object), entity, keyId, publicKey);
    }

    /**
     * Checks the signature of {@code entity}'s key {@code ed25519:<keyId>} with {@code publicKey}.
     *
     * @param json the signed object, as JSON text
     * @param entity the user id (or server name) that signed
     * @param keyId the part after {@code ed25519:}
     * @param publicKey the Ed25519 public key (32 bytes)
     * @throws org.panolm.PanolmException {@code BAD_SIGNATURE} when it is absent or does not verify,
     *         {@code BAD_MESSAGE_FORMAT} when the text is not a JSON object or the signatures member is
     *         malformed, {@code BAD_BASE64} when the signature is not base64
     */
    public static void verify(String json, String entity, String keyId, byte[] publicKey) {
        SignedTree.verify(CanonicalTree.parse(json), entity, keyId, publicKey);
    }

}
