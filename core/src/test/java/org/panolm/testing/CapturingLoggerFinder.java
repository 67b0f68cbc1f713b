package org.panolm.testing;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ResourceBundle;

/**
 * The {@link System.LoggerFinder} of core's test JVM (registered in {@code META-INF/services}): it keeps
 * every record panolm logs, at every level, with its raw parameters, so that a test can check what reached
 * a log call (see {@code LoggingHygieneTest}). Other loggers (the JDK's) are kept from {@code WARNING} up.
 * Records at {@code WARNING} and above are also printed to standard error, as the default backend would.
 */
public final class CapturingLoggerFinder extends System.LoggerFinder {
    /** Enough for every record a test run makes; beyond it records are counted, not kept. */
    private static final int MAX_KEPT = 10_000;
    private static final List<Entry> ENTRIES = new ArrayList<>();
    private static long dropped;

    /** One log call: the logger, level, message or format, parameters and throwable as they were passed. */
    public record Entry(String logger, System.Logger.Level level, String message, List<Object> params,
                        Throwable thrown) {
        /** The text a backend would write: the formatted message, then each throwable's text. */
        public String text() {
            StringBuilder sb = new StringBuilder(params.isEmpty() || message == null ? String.valueOf(message)
                    : new MessageFormat(message).format(params.toArray()));
            for (Throwable t = thrown; t != null; t = t.getCause()) {
                sb.append('\n').append(t);
            }
            return sb.toString();
        }
    }

    /** Required by ServiceLoader. */
    public CapturingLoggerFinder() {}

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new Capturing(name);
    }

    /** How many records did not fit; a check over {@link #entries()} is complete only when this is 0. */
    public static long dropped() {
        synchronized (ENTRIES) {
            return dropped;
        }
    }

    /** Every record kept so far in this JVM, oldest first. */
    public static List<Entry> entries() {
        synchronized (ENTRIES) {
            return List.copyOf(ENTRIES);
        }
    }

    private static void keep(Entry entry) {
        synchronized (ENTRIES) {
            if (ENTRIES.size() < MAX_KEPT) ENTRIES.add(entry);
            else dropped++;
        }
        if (entry.level().getSeverity() >= System.Logger.Level.WARNING.getSeverity()) {
            System.err.println(entry.level() + " " + entry.logger() + ": " + entry.text());
        }
    }

    private record Capturing(String name) implements System.Logger {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return level != Level.OFF && (name.startsWith("org.panolm")
                    || level.getSeverity() >= Level.WARNING.getSeverity());
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (isLoggable(level)) keep(new Entry(name, level, msg, List.of(), thrown));
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                // Arrays.asList: the parameters as passed, nulls included.
                keep(new Entry(name, level, format, params == null ? List.of() : Arrays.asList(params.clone()), null));
            }
        }
    }
}
