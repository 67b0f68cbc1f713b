package org.panolm.client.media;

/**
 * An attachment that cannot be decrypted or trusted: a field of its {@code EncryptedFile} is wrong, or the
 * ciphertext's SHA-256 is not the one the sender gave. Never carries key material.
 */
public final class AttachmentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The field at fault. */
    private final String field;

    AttachmentException(String field, String message) {
        super(message);
        this.field = field;
    }

    static AttachmentException field(String field, String problem) {
        return new AttachmentException(field, "EncryptedFile." + field + " " + problem);
    }

    /**
     * The field of {@code EncryptedFile} at fault ({@code hashes.sha256} for a ciphertext that does not match).
     *
     * @return the field
     */
    public String field() {
        return field;
    }
}
