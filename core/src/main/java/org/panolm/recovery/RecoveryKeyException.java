package org.panolm.recovery;

import org.panolm.ErrorDetail;
import org.panolm.PanolmException;
import org.panolm.Status;

/**
 * A Security Key (recovery key) that does not decode, with the precise reason. The message never repeats
 * the key the user typed.
 */
public final class RecoveryKeyException extends PanolmException {
    /** Why decoding failed, in the order the checks run. */
    public enum Reason {
        /** A character outside the base58 alphabet (for example 0, O, I or l). */
        BAD_CHARACTER("contains a character that is not in the base58 alphabet"),
        /** Not 35 bytes once decoded (a key with characters missing or added). */
        BAD_LENGTH("has the wrong length"),
        /** Does not start with the bytes 0x8B 0x01. */
        BAD_PREFIX("does not start with the recovery-key prefix"),
        /** The parity byte does not match (a mistyped character). */
        BAD_PARITY("fails the parity check (a character is probably mistyped)");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        /**
         * What is wrong, as the end of a sentence about the key.
         *
         * @return e.g. "contains a character that is not in the base58 alphabet"
         */
        public String text() {
            return text;
        }
    }

    /** Why decoding failed. */
    private final Reason reason;

    /**
     * A Security Key that fails for this reason.
     *
     * @param reason the check that failed
     */
    public RecoveryKeyException(Reason reason) {
        super(reason == Reason.BAD_CHARACTER ? Status.BAD_BASE64 : Status.BAD_KEY,
                new ErrorDetail("Security Key", null, null, null, reason.text));
        this.reason = reason;
    }

    /**
     * Why decoding failed, as data.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
