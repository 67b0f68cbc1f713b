package org.panolm.megolm;

/** The plaintext of one Megolm message and the ratchet index it was encrypted at. */
public record DecryptedMessage(byte[] plaintext, long messageIndex) {
    public String plaintextUtf8() {
        return new String(plaintext, java.nio.charset.StandardCharsets.UTF_8);
    }
}
