package org.panolm;

/**
 * The one exception type panolm's crypto operations throw for bad input or failed checks. It carries a
 * machine-readable {@link Status} and a context naming which object, field or event failed. Messages
 * never contain key material.
 */
public class PanolmException extends RuntimeException {
    /** What failed, as data. */
    private final Status status;

    /**
     * A failure with a status and a context that names what failed (never key material).
     *
     * @param status what kind of failure
     * @param context which object, field or event failed
     */
    public PanolmException(Status status, String context) {
        super(status.name() + ": " + context);
        this.status = status;
    }

    /**
     * A failure with a status, a context and the failure that caused it.
     *
     * @param status what kind of failure
     * @param context which object, field or event failed
     * @param cause the underlying failure
     */
    public PanolmException(Status status, String context, Throwable cause) {
        super(status.name() + ": " + context, cause);
        this.status = status;
    }

    /**
     * What kind of failure this is, for code that decides what to do about it.
     *
     * @return the status
     */
    public Status status() {
        return status;
    }
}
