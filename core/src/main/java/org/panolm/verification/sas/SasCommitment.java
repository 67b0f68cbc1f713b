package org.panolm.verification.sas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import com.fasterxml.jackson.databind.JsonNode;

import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.json.CanonicalTree;

/**
 * The acceptor's commitment to its ephemeral key: unpadded base64 of
 * SHA-256(key as unpadded base64 ‖ canonical JSON of the start content as sent).
 */
final class SasCommitment {
    private SasCommitment() {}

    /**
     * The commitment an acceptor sends in {@code m.key.verification.accept}.
     *
     * @param acceptorKeyBase64 the acceptor's ephemeral key
     * @param startContent the start content as sent
     * @return the commitment in unpadded base64
     */
    public static String compute(String acceptorKeyBase64, JsonNode startContent) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(acceptorKeyBase64.getBytes(StandardCharsets.UTF_8));
            sha.update(CanonicalTree.encode(startContent));
            return MatrixBase64.encode(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Constant-time comparison of a received commitment with the recomputed one.
     *
     * @param commitment the commitment received
     * @param acceptorKeyBase64 the acceptor's ephemeral key, received later
     * @param startContent the start content as sent
     * @return whether they match
     */
    public static boolean matches(String commitment, String acceptorKeyBase64, JsonNode startContent) {
        byte[] expected = compute(acceptorKeyBase64, startContent).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, commitment.getBytes(StandardCharsets.UTF_8));
    }
}
