package org.panolm.olm;

import org.panolm.Status;

/**
 * Why an Olm operation failed, each with the closest {@link Status}. The first group keeps libolm's
 * names and numbers ({@code enum OlmErrorCode}) so that stores and logs written against libolm read the
 * same; the second group is panolm's own, where it is more precise than libolm (which reported all of
 * them as {@code BAD_MESSAGE_MAC} or not at all). {@link #code()} is stable.
 */
public enum OlmError {
    /** Not an error (libolm's {@code OLM_SUCCESS}). */
    SUCCESS(0, Status.OK),
    /** Too few random bytes were given (libolm's callers supply randomness; panolm draws its own). */
    NOT_ENOUGH_RANDOM(1, Status.INTERNAL),
    /** An output buffer was too small. */
    OUTPUT_BUFFER_TOO_SMALL(2, Status.OUTPUT_TOO_SMALL),
    /** A message of another version than 3. */
    BAD_MESSAGE_VERSION(3, Status.BAD_VERSION),
    /** A message with a missing, oversized or truncated field. */
    BAD_MESSAGE_FORMAT(4, Status.BAD_MESSAGE_FORMAT),
    /** The message's MAC does not verify: altered, or made for another session. */
    BAD_MESSAGE_MAC(5, Status.BAD_MAC),
    /** A pre-key message names a one-time key this account does not hold (used, removed or never made). */
    BAD_MESSAGE_KEY_ID(6, Status.UNKNOWN_SESSION),
    /** Text that is not base64. */
    INVALID_BASE64(7, Status.BAD_BASE64),
    /** For pickles: the pickle key is wrong or the pickle was altered (its MAC does not verify). */
    BAD_ACCOUNT_KEY(8, Status.BAD_MAC),
    /** A pickle of a version this code does not read. */
    UNKNOWN_PICKLE_VERSION(9, Status.BAD_VERSION),
    /** A pickle whose MAC verifies but whose body is damaged. */
    CORRUPTED_PICKLE(10, Status.BAD_MESSAGE_FORMAT),
    /** A Megolm session key of the wrong form (libolm's group sessions). */
    BAD_SESSION_KEY(11, Status.BAD_KEY),
    /** A Megolm message index before the first known one (libolm's group sessions). */
    UNKNOWN_MESSAGE_INDEX(12, Status.UNKNOWN_INDEX),
    /** An account pickle of libolm's first version, whose truncated Ed25519 key is refused. */
    BAD_LEGACY_ACCOUNT_PICKLE(13, Status.BAD_VERSION),
    /** A signature that does not verify. */
    BAD_SIGNATURE(14, Status.BAD_SIGNATURE),
    /** An input shorter than its format requires. */
    INPUT_BUFFER_TOO_SMALL(15, Status.TRUNCATED),
    /** libolm's SAS used before the other side's key was set. */
    SAS_THEIR_KEY_NOT_SET(16, Status.INVALID_ARGUMENT),
    /** A pickle with bytes after its body. */
    PICKLE_EXTRA_DATA(17, Status.BAD_MESSAGE_FORMAT),

    /** The key of that message was used (a replay) or dropped (too far out of order, or a chain long gone). */
    MISSING_MESSAGE_KEY(100, Status.UNKNOWN_INDEX),
    /** The message is more than 2000 messages ahead of its chain (vodozemac's bound). */
    MESSAGE_GAP_TOO_LARGE(101, Status.TOO_LARGE),
    /** A Curve25519 key of low order: the Diffie-Hellman result would be known to anyone. */
    NON_CONTRIBUTORY_KEY(102, Status.NON_CONTRIBUTORY),
    /** The authenticated plaintext is not strictly padded (only a broken sender does that). */
    BAD_PADDING(103, Status.BAD_PADDING),
    /** A pre-key message from another identity key than the one expected. */
    SENDER_MISMATCH(104, Status.BAD_KEY),
    /** A plaintext above the limit of 16 MiB. */
    PLAINTEXT_TOO_LARGE(105, Status.TOO_LARGE),
    /** A code this version of panolm does not know. */
    UNKNOWN(-1, Status.INTERNAL);

    private final int code;
    private final Status status;

    OlmError(int code, Status status) {
        this.code = code;
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
     * The stable number of this reason.
     *
     * @return libolm's number for the first group, 100 and up for panolm's own, {@code -1} for {@link #UNKNOWN}
     */
    public int code() {
        return code;
    }

    /**
     * The reason with that number.
     *
     * @param code a number as {@link #code()} gives it
     * @return the reason, or {@link #UNKNOWN}
     */
    public static OlmError fromCode(int code) {
        for (OlmError e : values()) {
            if (e.code == code && e != UNKNOWN) return e;
        }
        return UNKNOWN;
    }

    /** The reason of a failed message operation (decrypt, inbound session), from libpanolm's status. */
    static OlmError ofMessage(Status status) {
        return switch (status) {
            case BAD_VERSION -> BAD_MESSAGE_VERSION;
            case TRUNCATED, BAD_MESSAGE_FORMAT -> BAD_MESSAGE_FORMAT;
            case BAD_MAC -> BAD_MESSAGE_MAC;
            case BAD_PADDING -> BAD_PADDING;
            case UNKNOWN_INDEX -> MISSING_MESSAGE_KEY;
            case TOO_LARGE -> MESSAGE_GAP_TOO_LARGE;
            case NON_CONTRIBUTORY -> NON_CONTRIBUTORY_KEY;
            case UNKNOWN_SESSION -> BAD_MESSAGE_KEY_ID;
            case BAD_KEY -> SENDER_MISMATCH;
            case BAD_BASE64 -> INVALID_BASE64;
            case OUTPUT_TOO_SMALL -> OUTPUT_BUFFER_TOO_SMALL;
            default -> UNKNOWN;
        };
    }

    /** The reason of a failed unpickling. */
    static OlmError ofPickle(Status status) {
        return switch (status) {
            case BAD_MAC -> BAD_ACCOUNT_KEY;
            case BAD_VERSION -> UNKNOWN_PICKLE_VERSION;
            case TRUNCATED, BAD_MESSAGE_FORMAT, BAD_PADDING -> CORRUPTED_PICKLE;
            case BAD_BASE64 -> INVALID_BASE64;
            default -> UNKNOWN;
        };
    }
}
