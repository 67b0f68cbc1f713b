package org.panolm.verification;

import java.util.Optional;

/** The cancellation codes of {@code m.key.verification.cancel} that the spec defines. */
public enum CancelCode {
    USER("m.user", "The user cancelled the verification"),
    TIMEOUT("m.timeout", "The verification timed out"),
    UNKNOWN_TRANSACTION("m.unknown_transaction", "Unknown transaction"),
    UNKNOWN_METHOD("m.unknown_method", "No common verification method"),
    UNEXPECTED_MESSAGE("m.unexpected_message", "Unexpected message for the state of the verification"),
    KEY_MISMATCH("m.key_mismatch", "The MAC of a key does not match"),
    USER_MISMATCH("m.user_mismatch", "The message came from another user than expected"),
    INVALID_MESSAGE("m.invalid_message", "The message is malformed"),
    ACCEPTED("m.accepted", "Another device accepted the request"),
    MISMATCHED_COMMITMENT("m.mismatched_commitment", "The key does not match the commitment"),
    MISMATCHED_SAS("m.mismatched_sas", "The short authentication strings do not match");

    private final String code;
    private final String reason;

    CancelCode(String code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public String code() {
        return code;
    }

    /** The default human-readable {@code reason} sent with this code. */
    public String reason() {
        return reason;
    }

    public static Optional<CancelCode> fromCode(String code) {
        for (CancelCode c : values()) {
            if (c.code.equals(code)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
