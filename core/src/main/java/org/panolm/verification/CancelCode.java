package org.panolm.verification;

import java.util.Optional;

/** The cancellation codes of {@code m.key.verification.cancel} that the spec defines. */
public enum CancelCode {
    /** {@code m.user}: the user cancelled the verification. */
    USER("m.user", "The user cancelled the verification"),
    /** {@code m.timeout}: the verification timed out. */
    TIMEOUT("m.timeout", "The verification timed out"),
    /** {@code m.unknown_transaction}: unknown transaction. */
    UNKNOWN_TRANSACTION("m.unknown_transaction", "Unknown transaction"),
    /** {@code m.unknown_method}: no common verification method. */
    UNKNOWN_METHOD("m.unknown_method", "No common verification method"),
    /** {@code m.unexpected_message}: unexpected message for the state of the verification. */
    UNEXPECTED_MESSAGE("m.unexpected_message", "Unexpected message for the state of the verification"),
    /** {@code m.key_mismatch}: the MAC of a key does not match. */
    KEY_MISMATCH("m.key_mismatch", "The MAC of a key does not match"),
    /** {@code m.user_mismatch}: the message came from another user than expected. */
    USER_MISMATCH("m.user_mismatch", "The message came from another user than expected"),
    /** {@code m.invalid_message}: the message is malformed. */
    INVALID_MESSAGE("m.invalid_message", "The message is malformed"),
    /** {@code m.accepted}: another device accepted the request. */
    ACCEPTED("m.accepted", "Another device accepted the request"),
    /** {@code m.mismatched_commitment}: the key does not match the commitment. */
    MISMATCHED_COMMITMENT("m.mismatched_commitment", "The key does not match the commitment"),
    /** {@code m.mismatched_sas}: the short authentication strings do not match. */
    MISMATCHED_SAS("m.mismatched_sas", "The short authentication strings do not match");

    private final String code;
    private final String reason;

    CancelCode(String code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    /**
     * The code as it goes on the wire.
     *
     * @return the {@code m.*} code
     */
    public String code() {
        return code;
    }

    /**
     * The default human-readable {@code reason} sent with this code.
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }

    /**
     * The code for a wire code.
     *
     * @param code a wire code
     * @return the code, or empty for one the spec does not define
     */
    public static Optional<CancelCode> fromCode(String code) {
        for (CancelCode c : values()) {
            if (c.code.equals(code)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
