package org.panolm.crosssigning;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.json.JsonSigning;
import org.panolm.subtle.Ed25519;

/**
 * A public cross-signing key object ({@code CrossSigningKey} of the spec, docs/formats.md §8.3): user, usage, the
 * single Ed25519 key under {@code ed25519:<key>}, and signatures. The JSON it was read from is kept as is,
 * because signatures cover every field, including ones this library does not know.
 *
 * @param userId the user the key belongs to
 * @param usage its role
 * @param publicKey the Ed25519 public key, unpadded base64
 * @param json the whole key object as JSON text, as received or built
 */
public record CrossSigningKey(String userId, KeyUsage usage, String publicKey, String json) {

    /**
     * The key id, {@code ed25519:<public key>}.
     *
     * @return the key id
     */
    public String keyId() {
        return JsonSigning.ED25519_PREFIX + publicKey;
    }

    /**
     * The public key, decoded.
     *
     * @return the 32-byte Ed25519 public key
     */
    public byte[] publicKeyBytes() {
        return MatrixBase64.decode(publicKey, Ed25519.PUBLIC_KEY_LENGTH, usage.wireName() + " key of " + userId);
    }

    /** An unsigned key object for {@code userId}, ready to be signed. */
    static CrossSigningKey unsigned(String userId, KeyUsage usage, String publicKey) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("user_id", userId);
        o.putArray("usage").add(usage.wireName());
        o.putObject("keys").put(JsonSigning.ED25519_PREFIX + publicKey, publicKey);
        return new CrossSigningKey(userId, usage, publicKey, o.toString());
    }

    /**
     * Reads and checks a key object: a string {@code user_id}, a {@code usage} naming exactly one known role,
     * and exactly one key whose id is {@code ed25519:} followed by its value, which decodes to 32 bytes.
     *
     * @param json the key object as JSON text
     * @param expectedUsage the role the object must have (the field of {@code /keys/query} it came from)
     * @return the key
     * @throws PanolmException {@code BAD_MESSAGE_FORMAT} when it is not such an object
     */
    public static CrossSigningKey fromJson(String json, KeyUsage expectedUsage) {
        return fromTree(Json.parseObject(json, expectedUsage.wireName() + " key"), expectedUsage);
    }

    /** As {@link #fromJson(String, KeyUsage)}, for an object already parsed in this package. */
    static CrossSigningKey fromTree(JsonNode node, KeyUsage expectedUsage) {
        String what = expectedUsage.wireName() + " key";
        ObjectNode o = Json.object(node, what);
        String user = Json.text(o, "user_id", what);
        List<String> usage = Json.textList(o, "usage", what);
        if (usage.size() != 1 || !usage.getFirst().equals(expectedUsage.wireName())) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT,
                    what + " of " + user + " has usage " + usage + ", expected [" + expectedUsage.wireName() + "]");
        }
        var keys = Json.textMap(o, "keys", what);
        if (keys.size() != 1) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT, what + " of " + user + " must hold exactly one key, not " + keys.size());
        }
        var entry = keys.entrySet().iterator().next();
        if (!entry.getKey().equals(JsonSigning.ED25519_PREFIX + entry.getValue())) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT, what + " of " + user + ": key id " + entry.getKey()
                    + " does not name its key");
        }
        MatrixBase64.decode(entry.getValue(), Ed25519.PUBLIC_KEY_LENGTH, what + " of " + user);
        return new CrossSigningKey(user, expectedUsage, entry.getValue(), o.toString());
    }

    /**
     * True when this object carries a valid signature by {@code signer} (a key of the same user, or another's).
     *
     * @param signer the key that may have signed this one
     * @return whether it did, validly
     */
    public boolean isSignedBy(CrossSigningKey signer) {
        return JsonSigning.isSignedBy(json, signer.userId(), signer.publicKey(), signer.publicKeyBytes());
    }

    /**
     * Like {@link #isSignedBy} but says why not: {@code BAD_SIGNATURE} naming both keys.
     *
     * @param signer the key that must have signed this one
     */
    public void verifySignedBy(CrossSigningKey signer) {
        try {
            JsonSigning.verify(json, signer.userId(), signer.publicKey(), signer.publicKeyBytes());
        } catch (PanolmException e) {
            throw new PanolmException(e.status(), "the " + usage.wireName() + " key of " + userId + " is not signed by the "
                    + signer.usage().wireName() + " key of " + signer.userId() + " (" + e.getMessage() + ")");
        }
    }

    @Override
    public String toString() {
        return "CrossSigningKey[" + userId + ", " + usage.wireName() + ", " + publicKey + "]";
    }
}
