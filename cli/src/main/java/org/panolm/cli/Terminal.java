package org.panolm.cli;

/**
 * What may be shown on a terminal: whether standard error is one (a progress bar is drawn only then), and
 * text from the input made harmless before it is printed.
 */
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

    /**
     * Characters a terminal obeys or that rearrange what is shown: C0 and C1 controls (escape sequences
     * start with ESC or U+009B), DEL, the line and paragraph separators, and the bidirectional formatting
     * characters (which can make text read in another order than it is).
     */
    static boolean isUnsafe(int cp) {
        return cp < 0x20 || cp >= 0x7f && cp <= 0x9f
                || cp == 0x2028 || cp == 0x2029
                || cp == 0x061c || cp == 0x200e || cp == 0x200f
                || cp >= 0x202a && cp <= 0x202e
                || cp >= 0x2066 && cp <= 0x2069;
    }

    /**
     * {@code text} with every unsafe character (see {@link #isUnsafe}) written as {@code \\uXXXX}, for
     * printing what came from the input on one line of a terminal.
     */
    public static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean escape = isUnsafe(c);
            if (escape && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (escape) {
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
