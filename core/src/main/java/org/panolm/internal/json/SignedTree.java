package org.panolm.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.json.JsonSigning;
import org.panolm.subtle.Ed25519;

/**
 * Signed JSON over Jackson trees: the one implementation behind {@link JsonSigning} (which speaks JSON text and
 * maps) and the tree-speaking fast path panolm's own modules use when they already hold a parsed tree.
 */
public final class SignedTree {
    private SignedTree() {}

    private static final String SIGNATURES = JsonSigning.SIGNATURES;
    private static final String UNSIGNED = JsonSigning.UNSIGNED;
    private static final String ED25519_PREFIX = JsonSigning.ED25519_PREFIX;

    /**
     * The exact bytes a signature covers.
     *
     * @param object the signed object
     * @return its canonical JSON without {@code signatures} and {@code unsigned}
     */
    public static byte[] signedBytes(JsonNode object) {
        ObjectNode body = requireObject(object, "signed object").deepCopy();
        body.remove(SIGNATURES);
        body.remove(UNSIGNED);
        return CanonicalTree.encode(body);
    }

    /**
     * The unpadded base64 signature of {@code object} by the Ed25519 key with this 32-byte seed.
     *
     * @param object the object to sign
     * @param seed the Ed25519 private key seed (32 bytes)
     * @return the signature in unpadded base64
     */
    public static String signature(JsonNode object, byte[] seed) {
        return MatrixBase64.encode(Ed25519.sign(seed, signedBytes(object)));
    }

    /**
     * A copy of {@code object} with a signature by {@code entity}'s key {@code ed25519:<keyId>} merged into its
     * {@code signatures}; other signatures and {@code unsigned} are kept. The argument is not modified.
     *
     * @param object the object to sign
     * @param entity the user id (or server name) that signs
     * @param keyId the part after {@code ed25519:}: a device id, or a cross-signing public key in base64
     * @param seed the Ed25519 private key seed (32 bytes)
     * @return the signed copy
     */
    public static ObjectNode sign(JsonNode object, String entity, String keyId, byte[] seed) {
        ObjectNode copy = requireObject(object, "signed object").deepCopy();
        String sig = signature(copy, seed);
        JsonNode existing = copy.get(SIGNATURES);
        ObjectNode signatures;
        if (existing == null || existing.isNull()) {
            signatures = copy.putObject(SIGNATURES);
        } else {
            signatures = requireObject(existing, SIGNATURES);
        }
        JsonNode byEntity = signatures.get(entity);
        ObjectNode entitySignatures = byEntity == null ? signatures.putObject(entity)
                : requireObject(byEntity, SIGNATURES + "." + entity);
        entitySignatures.put(ED25519_PREFIX + keyId, sig);
        return copy;
    }

    /**
     * True when {@code object} carries a valid signature by {@code entity}'s key {@code ed25519:<keyId>}.
     *
     * @param object the signed object
     * @param entity the user id (or server name) that signed
     * @param keyId the part after {@code ed25519:}
     * @param publicKey the Ed25519 public key (32 bytes)
     * @return whether the signature is there and valid
     */
    public static boolean isSignedBy(JsonNode object, String entity, String keyId, byte[] publicKey) {
        try {
            verify(object, entity, keyId, publicKey);
            return true;
        } catch (PanolmException e) {
            return false;
        }
    }

    /**
     * Checks the signature of {@code entity}'s key {@code ed25519:<keyId>} with {@code publicKey}.
     *
     * @param object the signed object
     * @param entity the user id (or server name) that signed
     * @param keyId the part after {@code ed25519:}
     * @param publicKey the Ed25519 public key (32 bytes)
     * @throws PanolmException {@code BAD_SIGNATURE} when it is absent or does not verify,
     *         {@code BAD_MESSAGE_FORMAT} when the signatures member is malformed, {@code BAD_BASE64} when
     *         the signature is not base64
     */
    public static void verify(JsonNode object, String entity, String keyId, byte[] publicKey) {
        String where = "signature of " + entity + " by " + ED25519_PREFIX + keyId;
        if (publicKey == null || publicKey.length != Ed25519.PUBLIC_KEY_LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "public key for the " + where + " must be 32 bytes");
        }
        requireObject(object, "signed object");
        JsonNode signatures = object.get(SIGNATURES);
        if (signatures == null) {
            throw new PanolmException(Status.BAD_SIGNATURE, "the object has no signatures (wanted the " + where + ")");
        }
        requireObject(signatures, SIGNATURES);
        JsonNode byEntity = signatures.get(entity);
        if (byEntity == null) {
            throw new PanolmException(Status.BAD_SIGNATURE, "no " + where);
        }
        requireObject(byEntity, SIGNATURES + "." + entity);
        JsonNode value = byEntity.get(ED25519_PREFIX + keyId);
        if (value == null) {
            throw new PanolmException(Status.BAD_SIGNATURE, "no " + where);
        }
        if (!value.isTextual()) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT, "the " + where + " is not a string");
        }
        byte[] sig = MatrixBase64.decode(value.textValue(), "the " + where);
        if (sig.length != Ed25519.SIGNATURE_LENGTH || !Ed25519.verify(publicKey, signedBytes(object), sig)) {
            throw new PanolmException(Status.BAD_SIGNATURE, "the " + where + " does not verify");
        }
    }

    /**
     * The node as an object, or {@code BAD_MESSAGE_FORMAT} naming {@code what}.
     *
     * @param node the node
     * @param what what it is, for the error
     * @return the object
     */
    public static ObjectNode requireObject(JsonNode node, String what) {
        if (node instanceof ObjectNode o) {
            return o;
        }
        throw new PanolmException(Status.BAD_MESSAGE_FORMAT, what + " must be a JSON object");
    }
}
