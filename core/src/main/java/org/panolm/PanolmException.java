package org.panolm;

/**
 * The one exception type panolm's crypto operations throw for bad input or failed checks. It carries a
 * machine-readable {@link Status} and a context naming which object, field or event failed. Messages
 * never contain key material.
 */
public class PanolmException extends RuntimeException {
    private final Status status;

    public PanolmException(Status status, String context) {
        super(status.name() + ": " + context);
        this.status = status;
    }

    public PanolmException(Status status, String context, Throwable cause) {
        super(status.name() + ": " + context, cause);
        this.status = status;
    }

    public Status status() {
        return status;
    }
}
