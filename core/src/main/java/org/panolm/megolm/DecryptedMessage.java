package org.panolm.megolm;

/**
 * The plaintext of one Megolm message and the ratchet index it was encrypted at.
 *
 * @param plaintext the plaintext bytes
 * @param messageIndex the message's ratchet index
 */
public record DecryptedMessage(byte[] plaintext, long messageIndex) {
    /**
     * The plaintext as text.
     *
     * @return the plaintext decoded as UTF-8
     */
    public String plaintextUtf8() {
        return new String(plaintext, java.nio.charset.StandardCharsets.UTF_8);
    }
}
