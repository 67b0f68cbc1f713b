package org.panolm.olm;

import org.panolm.Status;

/**
 * libolm's error codes ({@code enum OlmErrorCode}, same numbers and names), each with the closest
 * {@link Status}. {@link #name()} is the text libolm's {@code *_last_error()} functions return (for
 * codes 15 and up libolm's text carries an extra {@code OLM_} prefix).
 */
public enum OlmError {
    /** No error. */
    SUCCESS(Status.OK),
    /** The random source failed. */
    NOT_ENOUGH_RANDOM(Status.INTERNAL),
    /** An output buffer is too small. */
    OUTPUT_BUFFER_TOO_SMALL(Status.OUTPUT_TOO_SMALL),
    /** The message's version is not 3. */
    BAD_MESSAGE_VERSION(Status.BAD_VERSION),
    /** The message is malformed. */
    BAD_MESSAGE_FORMAT(Status.BAD_MESSAGE_FORMAT),
    /** The message's MAC does not verify. */
    BAD_MESSAGE_MAC(Status.BAD_MAC),
    /** A pre-key message names a one-time key this account does not hold (used, removed or never made). */
    BAD_MESSAGE_KEY_ID(Status.UNKNOWN_SESSION),
    /** Input that should be base64 is not. */
    INVALID_BASE64(Status.BAD_BASE64),
    /** For pickles: the pickle key is wrong or the pickle was altered (its MAC does not verify). */
    BAD_ACCOUNT_KEY(Status.BAD_MAC),
    /** A pickle of a version this libolm does not know. */
    UNKNOWN_PICKLE_VERSION(Status.BAD_VERSION),
    /** A pickle that does not decode. */
    CORRUPTED_PICKLE(Status.BAD_MESSAGE_FORMAT),
    /** A Megolm session key that is malformed or whose signature fails. */
    BAD_SESSION_KEY(Status.BAD_KEY),
    /** The message index is below the first index the session can decrypt. */
    UNKNOWN_MESSAGE_INDEX(Status.UNKNOWN_INDEX),
    /** An account pickle in a legacy format libolm no longer reads. */
    BAD_LEGACY_ACCOUNT_PICKLE(Status.BAD_VERSION),
    /** A signature does not verify. */
    BAD_SIGNATURE(Status.BAD_SIGNATURE),
    /** An input is shorter than it must be. */
    INPUT_BUFFER_TOO_SMALL(Status.TRUNCATED),
    /** A SAS operation needs the other side's key, which is not set. */
    SAS_THEIR_KEY_NOT_SET(Status.INVALID_ARGUMENT),
    /** A pickle has bytes after its end. */
    PICKLE_EXTRA_DATA(Status.BAD_MESSAGE_FORMAT),
    /** A code this version of panolm does not know (a newer libolm). */
    UNKNOWN(Status.INTERNAL);

    private final Status status;

    OlmError(Status status) {
        this.status = status;
    }

    /**
     * The closest panolm status, for callers that handle every engine's errors alike.
     *
     * @return the status
     */
    public Status status() {
        return status;
    }

    /**
     * libolm's numeric code; {@code -1} for {@link #UNKNOWN}.
     *
     * @return the code
     */
    public int code() {
        return this == UNKNOWN ? -1 : ordinal();
    }

    /**
     * The error of a libolm code.
     *
     * @param code the number libolm returned
     * @return the error; {@link #UNKNOWN} for a number this version does not know
     */
    public static OlmError fromCode(int code) {
        OlmError[] all = values();
        return code >= 0 && code < UNKNOWN.ordinal() ? all[code] : UNKNOWN;
    }
}
