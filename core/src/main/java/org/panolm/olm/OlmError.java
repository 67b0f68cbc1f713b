package org.panolm.olm;

import org.panolm.Status;

/**
 * libolm's error codes ({@code enum OlmErrorCode}, same numbers and names), each with the closest
 * {@link Status}. {@link #name()} is the text libolm's {@code *_last_error()} functions return (for
 * codes 15 and up libolm's text carries an extra {@code OLM_} prefix).
 */
public enum OlmError {
    SUCCESS(Status.OK),
    NOT_ENOUGH_RANDOM(Status.INTERNAL),
    OUTPUT_BUFFER_TOO_SMALL(Status.OUTPUT_TOO_SMALL),
    BAD_MESSAGE_VERSION(Status.BAD_VERSION),
    BAD_MESSAGE_FORMAT(Status.BAD_MESSAGE_FORMAT),
    BAD_MESSAGE_MAC(Status.BAD_MAC),
    /** A pre-key message names a one-time key this account does not hold (used, removed or never made). */
    BAD_MESSAGE_KEY_ID(Status.UNKNOWN_SESSION),
    INVALID_BASE64(Status.BAD_BASE64),
    /** For pickles: the pickle key is wrong or the pickle was altered (its MAC does not verify). */
    BAD_ACCOUNT_KEY(Status.BAD_MAC),
    UNKNOWN_PICKLE_VERSION(Status.BAD_VERSION),
    CORRUPTED_PICKLE(Status.BAD_MESSAGE_FORMAT),
    BAD_SESSION_KEY(Status.BAD_KEY),
    UNKNOWN_MESSAGE_INDEX(Status.UNKNOWN_INDEX),
    BAD_LEGACY_ACCOUNT_PICKLE(Status.BAD_VERSION),
    BAD_SIGNATURE(Status.BAD_SIGNATURE),
    INPUT_BUFFER_TOO_SMALL(Status.TRUNCATED),
    SAS_THEIR_KEY_NOT_SET(Status.INVALID_ARGUMENT),
    PICKLE_EXTRA_DATA(Status.BAD_MESSAGE_FORMAT),
    /** A code this version of panolm does not know (a newer libolm). */
    UNKNOWN(Status.INTERNAL);

    private final Status status;

    OlmError(Status status) {
        this.status = status;
    }

    /** The closest panolm status, for callers that handle every engine's errors alike. */
    public Status status() {
        return status;
    }

    /** libolm's numeric code; {@code -1} for {@link #UNKNOWN}. */
    public int code() {
        return this == UNKNOWN ? -1 : ordinal();
    }

    public static OlmError fromCode(int code) {
        OlmError[] all = values();
        return code >= 0 && code < UNKNOWN.ordinal() ? all[code] : UNKNOWN;
    }
}
