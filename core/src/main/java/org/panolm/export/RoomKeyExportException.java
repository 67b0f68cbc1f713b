package org.panolm.export;

import org.panolm.ErrorDetail;
import org.panolm.PanolmException;
import org.panolm.Status;

/**
 * Why a room-key export file could not be read, precisely: a damaged file ({@link Reason#isCorruption()})
 * is told apart from a wrong passphrase. The format has no key check, so a file whose MAC fails is
 * reported as a wrong passphrase; an altered body gives the same result and is said so in the message.
 */
public final class RoomKeyExportException extends PanolmException {
    /** What went wrong, and whether the file is damaged. */
    public enum Reason {
        /** The {@code -----BEGIN MEGOLM SESSION DATA-----} line is missing. */
        HEADER_NOT_FOUND(Status.BAD_MESSAGE_FORMAT, true),
        /** The {@code -----END MEGOLM SESSION DATA-----} line is missing. */
        FOOTER_NOT_FOUND(Status.BAD_MESSAGE_FORMAT, true),
        /** The body is not base64. */
        BAD_BASE64(Status.BAD_BASE64, true),
        /** The body is shorter than its fixed fields. */
        TOO_SHORT(Status.TRUNCATED, true),
        /** The format version byte is not 1. */
        BAD_VERSION(Status.BAD_VERSION, true),
        /** The PBKDF2 round count is zero. */
        BAD_ROUNDS(Status.INVALID_ARGUMENT, true),
        /** The PBKDF2 round count is above the limit this reader accepts. */
        TOO_MANY_ROUNDS(Status.TOO_LARGE, false),
        /** The MAC does not verify: a wrong passphrase (or an altered body, which the format cannot tell apart). */
        WRONG_PASSPHRASE(Status.BAD_MAC, false),
        /** The decrypted body is not a JSON array of room keys. */
        BAD_PAYLOAD(Status.BAD_MESSAGE_FORMAT, true),
        /** The file read for decryption was not the one whose MAC verified (it was being modified). */
        CHANGED_WHILE_READING(Status.BAD_MAC, true);

        private final Status status;
        private final boolean corruption;

        Reason(Status status, boolean corruption) {
            this.status = status;
            this.corruption = corruption;
        }

        /**
         * The status this reason is reported with.
         *
         * @return the status
         */
        public Status status() {
            return status;
        }

        /**
         * True when the file itself is damaged or not an export file.
         *
         * @return whether the file is damaged
         */
        public boolean isCorruption() {
            return corruption;
        }
    }

    /** Why reading failed. */
    private final Reason reason;

    /**
     * A failure to read an export file.
     *
     * @param reason why
     * @param detail what failed (never key material)
     */
    public RoomKeyExportException(Reason reason, String detail) {
        super(reason.status(), new ErrorDetail("room-key export file", null, null, null, detail));
        this.reason = reason;
    }

    /**
     * Why reading failed, as data.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
