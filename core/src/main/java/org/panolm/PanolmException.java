package org.panolm;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one exception type panolm's crypto operations throw for bad input or failed checks (subclasses add
 * a more precise reason). It carries what failed as data: a machine-readable {@link Status} and an
 * {@link ErrorDetail} naming the object, event, field and index at fault and why. The message is
 * {@code "<STATUS>: " + detail().describe()}; code should read {@link #status()} and {@link #detail()}, never
 * parse the message. Nothing here ever contains key material.
 */
public class PanolmException extends RuntimeException {
    /** What kind of failure. */
    private final Status status;
    /** What failed, as data. */
    private final ErrorDetail detail;

    /**
     * A failure with a status and its detail.
     *
     * @param status what kind of failure
     * @param detail what failed (never key material)
     */
    public PanolmException(Status status, ErrorDetail detail) {
        this(status, detail, null);
    }

    /**
     * A failure with a status, its detail and the failure that caused it.
     *
     * @param status what kind of failure
     * @param detail what failed (never key material)
     * @param cause the underlying failure, or null
     */
    public PanolmException(Status status, ErrorDetail detail, @Nullable Throwable cause) {
        super(status.name() + ": " + detail.describe(), cause);
        this.status = status;
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    /**
     * A failure with a status and a context that names what failed, as one reason (never key material).
     *
     * @param status what kind of failure
     * @param context which object, field or event failed
     */
    public PanolmException(Status status, String context) {
        this(status, ErrorDetail.of(context), null);
    }

    /**
     * A failure with a status, a context and the failure that caused it.
     *
     * @param status what kind of failure
     * @param context which object, field or event failed
     * @param cause the underlying failure
     */
    public PanolmException(Status status, String context, Throwable cause) {
        this(status, ErrorDetail.of(context), cause);
    }

    /**
     * What kind of failure this is, for code that decides what to do about it.
     *
     * @return the status
     */
    public Status status() {
        return status;
    }

    /**
     * What failed: the object, event, field, index and reason.
     *
     * @return the detail
     */
    public ErrorDetail detail() {
        return detail;
    }
}
