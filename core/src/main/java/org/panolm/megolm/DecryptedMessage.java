package org.panolm.megolm;

import java.util.Objects;

/**
 * The plaintext of one Megolm message, the ratchet index it was encrypted at, and the provenance of the
 * session copy that decrypted it (how far the result can be trusted: see {@link KeyProvenance#trust()}).
 */
public record DecryptedMessage(byte[] plaintext, long messageIndex, KeyProvenance provenance) {
    public DecryptedMessage {
        Objects.requireNonNull(provenance, "provenance");
    }

    /** A result whose key's provenance was not recorded ({@link KeyProvenance#UNKNOWN}). */
    public DecryptedMessage(byte[] plaintext, long messageIndex) {
        this(plaintext, messageIndex, KeyProvenance.UNKNOWN);
    }

    public String plaintextUtf8() {
        return new String(plaintext, java.nio.charset.StandardCharsets.UTF_8);
    }
}
