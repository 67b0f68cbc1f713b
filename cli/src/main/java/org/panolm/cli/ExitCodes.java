package org.panolm.cli;

/** The exit statuses every panolm command uses. */
public final class ExitCodes {
    private ExitCodes() {}

    /** Everything worked: every encrypted event decrypted, every key restored, the check passed. */
    public static final int OK = 0;
    /** A fatal error: nothing usable was produced (and no output file is left behind). */
    public static final int FATAL = 1;
    /** The run completed and its output is complete, but some items failed (each says why). */
    public static final int SOME_FAILED = 2;
}
