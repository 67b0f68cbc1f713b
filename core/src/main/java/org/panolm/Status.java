package org.panolm;

/**
 * Why an operation failed, as a stable machine-readable code. The numbers mirror
 * {@code enum panolm_status} in {@code panolm.h}; the names are what the CLI prints.
 */
public enum Status {
    OK("success"),
    INVALID_ARGUMENT("an argument is out of range"),
    OUTPUT_TOO_SMALL("the output buffer is too small"),
    BAD_BASE64("not valid base64"),
    BAD_VERSION("unknown version byte"),
    TRUNCATED("the input ends before a field it announces"),
    BAD_MAC("the MAC does not verify (wrong key or tampered data)"),
    BAD_SIGNATURE("the Ed25519 signature does not verify"),
    UNKNOWN_SESSION("no key is known for this session"),
    UNKNOWN_INDEX("the message index is before the first index the session key can decrypt"),
    REPLAYED_INDEX("this session and message index also came signed under another event id (a replay; no copy can be told"
            + " from the original)"),
    ROOM_MISMATCH("the message or its session belongs to another room"),
    BAD_PADDING("the PKCS#7 padding is malformed"),
    BAD_KEY("a key has the wrong size or form"),
    NON_CONTRIBUTORY("the peer's Curve25519 key is of low order (all-zero shared secret)"),
    BAD_MESSAGE_FORMAT("a field inside the message is malformed"),
    BAD_EVENT("the event is not a well-formed encrypted event"),
    TOO_LARGE("a length or count is above its limit"),
    INTERNAL("the native crypto library failed"),
    NOT_INITIALISED("the native library is not initialised");

    private final String description;

    Status(String description) {
        this.description = description;
    }

    /** A sentence for people; never contains key material. */
    public String description() {
        return description;
    }

    public int code() {
        return ordinal();
    }

    public static Status fromCode(int code) {
        Status[] all = values();
        if (code < 0 || code >= all.length) {
            throw new IllegalArgumentException("unknown native status code " + code);
        }
        return all[code];
    }
}
