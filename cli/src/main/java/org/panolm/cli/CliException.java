package org.panolm.cli;

/**
 * A fatal error of a command: printed as one line naming the file, line or field at fault, and the process
 * exits with {@link ExitCodes#FATAL}. Messages never contain key material.
 */
public final class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
