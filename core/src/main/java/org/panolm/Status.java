package org.panolm;

/**
 * Why an operation failed, as a stable machine-readable code. The numbers mirror
 * {@code enum panolm_status} in {@code panolm.h}; the names are what the CLI prints.
 */
public enum Status {
    /** Success. */
    OK("success"),
    /** An argument is out of range. */
    INVALID_ARGUMENT("an argument is out of range"),
    /** The output buffer is too small. */
    OUTPUT_TOO_SMALL("the output buffer is too small"),
    /** Not valid base64. */
    BAD_BASE64("not valid base64"),
    /** Unknown version byte. */
    BAD_VERSION("unknown version byte"),
    /** The input ends before a field it announces. */
    TRUNCATED("the input ends before a field it announces"),
    /** The MAC does not verify (wrong key or tampered data). */
    BAD_MAC("the MAC does not verify (wrong key or tampered data)"),
    /** The Ed25519 signature does not verify. */
    BAD_SIGNATURE("the Ed25519 signature does not verify"),
    /** No key is known for this session. */
    UNKNOWN_SESSION("no key is known for this session"),
    /** The message index is before the first index the session key can decrypt. */
    UNKNOWN_INDEX("the message index is before the first index the session key can decrypt"),
    /** This session and message index also came signed under another event id: a replay, and no copy can be told from the original. */
    REPLAYED_INDEX("this session and message index also came signed under another event id (a replay; no copy can be told"
            + " from the original)"),
    /** The message or its session belongs to another room. */
    ROOM_MISMATCH("the message or its session belongs to another room"),
    /** The PKCS#7 padding is malformed. */
    BAD_PADDING("the PKCS#7 padding is malformed"),
    /** A key has the wrong size or form. */
    BAD_KEY("a key has the wrong size or form"),
    /** The peer's Curve25519 key is of low order (all-zero shared secret). */
    NON_CONTRIBUTORY("the peer's Curve25519 key is of low order (all-zero shared secret)"),
    /** A field inside the message is malformed. */
    BAD_MESSAGE_FORMAT("a field inside the message is malformed"),
    /** The event is not a well-formed encrypted event. */
    BAD_EVENT("the event is not a well-formed encrypted event"),
    /** A length or count is above its limit. */
    TOO_LARGE("a length or count is above its limit"),
    /** The native crypto library failed. */
    INTERNAL("the native crypto library failed"),
    /** The native library is not initialised. */
    NOT_INITIALISED("the native library is not initialised");

    private final String description;

    Status(String description) {
        this.description = description;
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
     * The number libpanolm uses for this status ({@code enum panolm_status} in {@code panolm.h}).
     *
     * @return the native status code
     */
    public int code() {
        return ordinal();
    }

    /**
     * The status for a number libpanolm returned.
     *
     * @param code a native status code
     * @return its status
     * @throws IllegalArgumentException if no status has that code
     */
    public static Status fromCode(int code) {
        Status[] all = values();
        if (code < 0 || code >= all.length) {
            throw new IllegalArgumentException("unknown native status code " + code);
        }
        return all[code];
    }
}
