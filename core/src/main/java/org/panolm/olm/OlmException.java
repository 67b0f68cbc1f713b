package org.panolm.olm;

import org.panolm.ErrorDetail;
import org.panolm.PanolmException;
import org.panolm.Status;

/**
 * An Olm operation failed. {@link #error()} is the Olm-level reason, {@link #status()} the closest
 * panolm {@link Status}, and {@link #detail()} says where as data: the session (subject), the message index
 * when there is one, and what was being done (reason). The message is built from these and names the
 * operation and the session, never key material.
 */
public class OlmException extends PanolmException {
    /** libolm's reason. */
    private final OlmError error;

    /**
     * A libolm failure.
     *
     * @param error libolm's reason
     * @param context the operation that failed (never key material)
     */
    public OlmException(OlmError error, String context) {
        this(error, ErrorDetail.of(context));
    }

    /**
     * A libolm failure with its detail as data.
     *
     * @param error libolm's reason
     * @param detail where it happened: subject (the session), index, and the operation as reason (never key
     *        material); the error's name is appended to the reason
     */
    public OlmException(OlmError error, ErrorDetail detail) {
        super(error.status(), withError(detail, error));
        this.error = error;
    }

    private static ErrorDetail withError(ErrorDetail d, OlmError error) {
        return new ErrorDetail(d.subject(), d.eventId(), d.field(), d.index(), d.reason() + " (" + error.name() + ")");
    }

    /**
     * libolm's reason, as data.
     *
     * @return the error
     */
    public OlmError error() {
        return error;
    }

    /** From a libpanolm status of a message operation; plain argument errors stay PanolmExceptions. */
    static PanolmException message(int code, String context) {
        return message(code, ErrorDetail.of(context));
    }

    static PanolmException message(int code, ErrorDetail detail) {
        Status status = Status.fromCode(code);
        OlmError error = OlmError.ofMessage(status);
        return error == OlmError.UNKNOWN ? new PanolmException(status, detail) : new OlmException(error, detail);
    }

    /** From a libpanolm status of an unpickling. */
    static PanolmException pickle(int code, String context) {
        Status status = Status.fromCode(code);
        OlmError error = OlmError.ofPickle(status);
        return error == OlmError.UNKNOWN ? new PanolmException(status, context) : new OlmException(error, context);
    }
}
