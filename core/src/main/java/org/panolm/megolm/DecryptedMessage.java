package org.panolm.megolm;

import java.util.Objects;

/**
 * The plaintext of one Megolm message, the ratchet index it was encrypted at, and the provenance of the
 * session copy that decrypted it (how far the result can be trusted: see {@link KeyProvenance#trust()}).
 *
 * @param plaintext the plaintext bytes
 * @param messageIndex the message's ratchet index
 * @param provenance where the key that decrypted it came from
 */
public record DecryptedMessage(byte[] plaintext, long messageIndex, KeyProvenance provenance) {
    /** Checks that the provenance is given. */
    public DecryptedMessage {
        Objects.requireNonNull(provenance, "provenance");
    }

    /**
     * A result whose key's provenance was not recorded ({@link KeyProvenance#UNKNOWN}).
     *
     * @param plaintext the plaintext bytes
     * @param messageIndex the message's ratchet index
     */
    public DecryptedMessage(byte[] plaintext, long messageIndex) {
        this(plaintext, messageIndex, KeyProvenance.UNKNOWN);
    }

    /**
     * The plaintext as text.
     *
     * @return the plaintext decoded as UTF-8
     */
    public String plaintextUtf8() {
        return new String(plaintext, java.nio.charset.StandardCharsets.UTF_8);
    }
}
