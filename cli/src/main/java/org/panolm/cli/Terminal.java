package org.panolm.cli;

/** Whether standard error is a terminal: decides if a progress bar is drawn. */
public final class Terminal {
    private Terminal() {}

    /** Set by the ./panolm launcher, which can test file descriptor 2 directly ({@code [ -t 2 ]}). */
    public static final String STDERR_TTY_PROPERTY = "panolm.stderr.tty";

    public static boolean stderrIsTerminal() {
        String told = System.getProperty(STDERR_TTY_PROPERTY);
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        // Without the launcher's answer: a console exists only when the standard streams are a terminal.
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }
}
