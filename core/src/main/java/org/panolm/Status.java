package org.panolm;

/**
 * Why an operation failed, as a stable machine-readable code. Each status has a fixed number
 * ({@link #code()}), the same as {@code enum panolm_status} in {@code panolm.h}; numbers are never reused or
 * reordered, new statuses get new numbers at the end. The names are what the CLI prints.
 */
public enum Status {
    /** Success. */
    OK(0, "success"),
    /** An argument is out of range. */
    INVALID_ARGUMENT(1, "an argument is out of range"),
    /** The output buffer is too small. */
    OUTPUT_TOO_SMALL(2, "the output buffer is too small"),
    /** Not valid base64. */
    BAD_BASE64(3, "not valid base64"),
    /** Unknown version byte. */
    BAD_VERSION(4, "unknown version byte"),
    /** The input ends before a field it announces. */
    TRUNCATED(5, "the input ends before a field it announces"),
    /** The MAC does not verify (wrong key or tampered data). */
    BAD_MAC(6, "the MAC does not verify (wrong key or tampered data)"),
    /** The Ed25519 signature does not verify. */
    BAD_SIGNATURE(7, "the Ed25519 signature does not verify"),
    /** No key is known for this session. */
    UNKNOWN_SESSION(8, "no key is known for this session"),
    /** The message index is before the first index the session key can decrypt. */
    UNKNOWN_INDEX(9, "the message index is before the first index the session key can decrypt"),
    /** This session and message index also came signed under another event id: a replay, and no copy can be told from the original. */
    REPLAYED_INDEX(10, "this session and message index also came signed under another event id (a replay; no copy can be told"
            + " from the original)"),
    /** The message or its session belongs to another room. */
    ROOM_MISMATCH(11, "the message or its session belongs to another room"),
    /** The PKCS#7 padding is malformed. */
    BAD_PADDING(12, "the PKCS#7 padding is malformed"),
    /** A key has the wrong size or form. */
    BAD_KEY(13, "a key has the wrong size or form"),
    /** The peer's Curve25519 key is of low order (all-zero shared secret). */
    NON_CONTRIBUTORY(14, "the peer's Curve25519 key is of low order (all-zero shared secret)"),
    /** A field inside the message is malformed. */
    BAD_MESSAGE_FORMAT(15, "a field inside the message is malformed"),
    /** The event is not a well-formed encrypted event. */
    BAD_EVENT(16, "the event is not a well-formed encrypted event"),
    /** A length or count is above its limit. */
    TOO_LARGE(17, "a length or count is above its limit"),
    /** The native crypto library failed. */
    INTERNAL(18, "the native crypto library failed"),
    /** The native library is not initialised. */
    NOT_INITIALISED(19, "the native library is not initialised");

    /** Indexed by code: the codes are dense from 0, which {@code StatusCodesTest} pins. */
    private static final Status[] BY_CODE = byCode();

    private final int code;
    private final String description;

    Status(int code, String description) {
        this.code = code;
        this.description = description;
    }

    private static Status[] byCode() {
        Status[] all = values();
        Status[] table = new Status[all.length];
        for (Status s : all) {
            if (s.code < 0 || s.code >= table.length || table[s.code] != null) {
                throw new ExceptionInInitializerError("status codes must be dense and distinct: " + s);
            }
            table[s.code] = s;
        }
        return table;
    }

    /**
     * A sentence for people; never contains key material.
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    /**
     * The number libpanolm uses for this status ({@code enum panolm_status} in {@code panolm.h}). It is
     * stable across releases and independent of the order the constants are declared in, so it can be stored
     * or sent to another process.
     *
     * @return the native status code
     */
    public int code() {
        return code;
    }

    /**
     * The status for a number libpanolm returned.
     *
     * @param code a native status code
     * @return its status
     * @throws IllegalArgumentException if no status has that code
     */
    public static Status fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown native status code " + code);
        }
        return BY_CODE[code];
    }
}
