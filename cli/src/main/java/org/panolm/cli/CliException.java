package org.panolm.cli;

/**
 * A fatal error of a command: printed as one line naming the file, line or field at fault, and the process
 * exits with {@link ExitCodes#FATAL}. The line never contains key material. When the error comes from a
 * panolm exception, the caller builds the line with {@link Errors} (from the exception's data).
 */
public final class CliException extends RuntimeException {
    /** The line printed after {@code panolm: }. */
    private final String line;

    /**
     * A fatal error.
     *
     * @param line what failed, as printed
     */
    public CliException(String line) {
        super(line);
        this.line = line;
    }

    /**
     * A fatal error with its cause (kept for debugging, never printed).
     *
     * @param line what failed, as printed
     * @param cause the underlying failure
     */
    public CliException(String line, Throwable cause) {
        super(line, cause);
        this.line = line;
    }

    /**
     * The line printed after {@code panolm: }.
     *
     * @return the line
     */
    public String line() {
        return line;
    }
}
