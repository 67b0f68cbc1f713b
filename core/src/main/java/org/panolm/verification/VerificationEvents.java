package org.panolm.verification;

/** Event types and fixed values of interactive verification (spec, "Key verification framework"). */
public final class VerificationEvents {
    private VerificationEvents() {}

    /** The request that starts a verification (to-device). */
    public static final String REQUEST = "m.key.verification.request";
    /** The answer to a request: the methods the other device can use. */
    public static final String READY = "m.key.verification.ready";
    /** Starts one method. */
    public static final String START = "m.key.verification.start";
    /** Accepts a SAS start, committing to a key. */
    public static final String ACCEPT = "m.key.verification.accept";
    /** A SAS ephemeral public key. */
    public static final String KEY = "m.key.verification.key";
    /** The MACs of the keys a side verifies. */
    public static final String MAC = "m.key.verification.mac";
    /** Says a side finished the verification. */
    public static final String DONE = "m.key.verification.done";
    /** Ends a verification without success. */
    public static final String CANCEL = "m.key.verification.cancel";
    /** The event type of an in-room request (its msgtype is {@link #REQUEST}). */
    public static final String ROOM_MESSAGE = "m.room.message";

    /** The SAS method. */
    public static final String SAS_V1 = "m.sas.v1";
    /** The method of showing a QR code. */
    public static final String QR_SHOW_V1 = "m.qr_code.show.v1";
    /** The method of scanning a QR code. */
    public static final String QR_SCAN_V1 = "m.qr_code.scan.v1";
    /** The start method that answers a scanned QR code. */
    public static final String RECIPROCATE_V1 = "m.reciprocate.v1";

    /** The SAS key agreement protocol. */
    public static final String CURVE25519_HKDF_SHA256 = "curve25519-hkdf-sha256";
    /** The SAS hash. */
    public static final String SHA256 = "sha256";
    /** The decimal SAS. */
    public static final String SAS_DECIMAL = "decimal";
    /** The emoji SAS. */
    public static final String SAS_EMOJI = "emoji";

    /** Requests and flows time out after ten minutes. */
    public static final java.time.Duration TIMEOUT = java.time.Duration.ofMinutes(10);
    /** A request stamped further than this in the future is ignored. */
    public static final java.time.Duration MAX_CLOCK_SKEW = java.time.Duration.ofMinutes(5);
}
