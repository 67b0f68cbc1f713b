package org.panolm.olm;

import org.panolm.PanolmException;

/**
 * A libolm operation failed. {@link #error()} is libolm's own reason; {@link #status()} the closest
 * panolm {@link org.panolm.Status}. The message names the operation and never contains key material.
 */
public class OlmException extends PanolmException {
    private final OlmError error;

    public OlmException(OlmError error, String context) {
        super(error.status(), context + " (libolm " + error.name() + ")");
        this.error = error;
    }

    public OlmError error() {
        return error;
    }
}
