package org.panolm.export;

import org.panolm.PanolmException;
import org.panolm.Status;

/**
 * Why a room-key export file could not be read, precisely: a damaged file ({@link Reason#isCorruption()})
 * is told apart from a wrong passphrase. The format has no key check, so a file whose MAC fails is
 * reported as a wrong passphrase; an altered body gives the same result and is said so in the message.
 */
public final class RoomKeyExportException extends PanolmException {
    public enum Reason {
        HEADER_NOT_FOUND(Status.BAD_MESSAGE_FORMAT, true),
        FOOTER_NOT_FOUND(Status.BAD_MESSAGE_FORMAT, true),
        BAD_BASE64(Status.BAD_BASE64, true),
        TOO_SHORT(Status.TRUNCATED, true),
        BAD_VERSION(Status.BAD_VERSION, true),
        BAD_ROUNDS(Status.INVALID_ARGUMENT, true),
        TOO_MANY_ROUNDS(Status.TOO_LARGE, false),
        WRONG_PASSPHRASE(Status.BAD_MAC, false),
        BAD_PAYLOAD(Status.BAD_MESSAGE_FORMAT, true),
        /** The file read for decryption was not the one whose MAC verified (it was being modified). */
        CHANGED_WHILE_READING(Status.BAD_MAC, true);

        private final Status status;
        private final boolean corruption;

        Reason(Status status, boolean corruption) {
            this.status = status;
            this.corruption = corruption;
        }

        public Status status() {
            return status;
        }

        /** True when the file itself is damaged or not an export file. */
        public boolean isCorruption() {
            return corruption;
        }
    }

    private final Reason reason;

    public RoomKeyExportException(Reason reason, String detail) {
        super(reason.status(), "room-key export file: " + detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
