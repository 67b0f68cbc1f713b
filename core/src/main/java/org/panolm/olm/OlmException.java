package org.panolm.olm;

import org.panolm.PanolmException;
import org.panolm.Status;

/**
 * An Olm operation failed. {@link #error()} is the Olm-level reason, {@link #status()} the closest
 * panolm {@link Status}. The message names the operation and the session, never key material.
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
        super(error.status(), context + " (" + error.name() + ")");
        this.error = error;
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
        Status status = Status.fromCode(code);
        OlmError error = OlmError.ofMessage(status);
        return error == OlmError.UNKNOWN ? new PanolmException(status, context) : new OlmException(error, context);
    }

    /** From a libpanolm status of an unpickling. */
    static PanolmException pickle(int code, String context) {
        Status status = Status.fromCode(code);
        OlmError error = OlmError.ofPickle(status);
        return error == OlmError.UNKNOWN ? new PanolmException(status, context) : new OlmException(error, context);
    }
}
