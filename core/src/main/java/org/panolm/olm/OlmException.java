package org.panolm.olm;

import org.panolm.PanolmException;

/**
 * A libolm operation failed. {@link #error()} is libolm's own reason; {@link #status()} the closest
 * panolm {@link org.panolm.Status}. The message names the operation and never contains key material.
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
        super(error.status(), context + " (libolm " + error.name() + ")");
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
}
