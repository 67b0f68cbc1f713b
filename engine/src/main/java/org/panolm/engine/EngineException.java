package org.panolm.engine;

/**
 * The engine refused input or could not do what was asked. The message names the event, field or request, never
 * key material or plaintext.
 */
public class EngineException extends RuntimeException {
    /**
     * An error.
     *
     * @param message what failed
     */
    public EngineException(String message) {
        super(message);
    }

    /**
     * An error with a cause.
     *
     * @param message what failed
     * @param cause why
     */
    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
