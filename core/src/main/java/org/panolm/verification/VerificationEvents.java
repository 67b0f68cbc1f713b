package org.panolm.verification;

/** Event types and fixed values of interactive verification (spec, "Key verification framework"). */
public final class VerificationEvents {
    private VerificationEvents() {}

    public static final String REQUEST = "m.key.verification.request";
    public static final String READY = "m.key.verification.ready";
    public static final String START = "m.key.verification.start";
    public static final String ACCEPT = "m.key.verification.accept";
    public static final String KEY = "m.key.verification.key";
    public static final String MAC = "m.key.verification.mac";
    public static final String DONE = "m.key.verification.done";
    public static final String CANCEL = "m.key.verification.cancel";
    /** The event type of an in-room request (its msgtype is {@link #REQUEST}). */
    public static final String ROOM_MESSAGE = "m.room.message";

    public static final String SAS_V1 = "m.sas.v1";
    public static final String QR_SHOW_V1 = "m.qr_code.show.v1";
    public static final String QR_SCAN_V1 = "m.qr_code.scan.v1";
    public static final String RECIPROCATE_V1 = "m.reciprocate.v1";

    public static final String CURVE25519_HKDF_SHA256 = "curve25519-hkdf-sha256";
    public static final String SHA256 = "sha256";
    public static final String SAS_DECIMAL = "decimal";
    public static final String SAS_EMOJI = "emoji";

    /** Requests and flows time out after ten minutes. */
    public static final java.time.Duration TIMEOUT = java.time.Duration.ofMinutes(10);
    /** A request stamped further than this in the future is ignored. */
    public static final java.time.Duration MAX_CLOCK_SKEW = java.time.Duration.ofMinutes(5);
}
