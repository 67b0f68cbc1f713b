package org.panolm.benchmarks.report;

import java.util.Locale;
import java.util.OptionalDouble;

/** How figures are written: time per operation with a readable unit, ratios of throughput. */
final class Format {
    private Format() {}

    static final String NONE = "—";

    static String time(OptionalDouble nanos) {
        if (nanos.isEmpty()) return NONE;
        double n = nanos.getAsDouble();
        if (n < 1e3) return String.format(Locale.ROOT, "%.1f ns", n);
        if (n < 1e6) return String.format(Locale.ROOT, "%s µs", significant(n / 1e3));
        if (n < 1e9) return String.format(Locale.ROOT, "%s ms", significant(n / 1e6));
        return String.format(Locale.ROOT, "%s s", significant(n / 1e9));
    }

    /** Throughput of panolm over the other: {@code other time / panolm time}; above 1 means panolm is faster. */
    static String ratio(OptionalDouble panolm, OptionalDouble other) {
        if (panolm.isEmpty() || other.isEmpty()) return NONE;
        return String.format(Locale.ROOT, "%.2f×", other.getAsDouble() / panolm.getAsDouble());
    }

    static String bytes(OptionalDouble b) {
        return b.isEmpty() ? NONE : String.format(Locale.ROOT, "%.0f", b.getAsDouble());
    }

    private static String significant(double v) {
        if (v >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (v >= 10) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
