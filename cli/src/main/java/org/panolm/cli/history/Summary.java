package org.panolm.cli.history;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Counts of one run, printed as the summary line on standard error. */
public final class Summary {
    private long events;
    private long encrypted;
    private long decrypted;
    private long notEncrypted;
    private long withheld;
    private final Map<String, Long> failedByCode = new TreeMap<>();

    void count(boolean isEncrypted, Outcome outcome) {
        events++;
        if (isEncrypted) {
            encrypted++;
        }
        switch (outcome) {
            case Outcome.Decrypted d -> decrypted++;
            case Outcome.NotEncrypted n -> notEncrypted++;
            case Outcome.WithheldDoNotStore w -> withheld++;
            case Outcome.Failed f -> failedByCode.merge(f.code(), 1L, Long::sum);
        }
    }

    public long events() {
        return events;
    }

    public long decrypted() {
        return decrypted;
    }

    public long failed() {
        return failedByCode.values().stream().mapToLong(Long::longValue).sum();
    }

    public Map<String, Long> failedByCode() {
        return Map.copyOf(failedByCode);
    }

    /** e.g. {@code 1000 events: 990 decrypted, 7 failed (BAD_MAC 2, UNKNOWN_SESSION 5), 3 not encrypted; 41,000 messages/s (0.02 s)} */
    public String line(double seconds) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%,d events: %,d decrypted, %,d failed", events, decrypted, failed()));
        if (!failedByCode.isEmpty()) {
            s.append(" (");
            failedByCode.forEach((code, n) -> s.append(code).append(' ').append(String.format(Locale.ROOT, "%,d", n)).append(", "));
            s.setLength(s.length() - 2);
            s.append(')');
        }
        s.append(String.format(Locale.ROOT, ", %,d not encrypted", notEncrypted));
        if (withheld > 0) s.append(String.format(Locale.ROOT, ", %,d withheld by do-not-store", withheld));
        s.append("; ");
        double rate = seconds > 0 ? encrypted / seconds : 0;
        s.append(String.format(Locale.ROOT, "%,.0f messages/s (%.2f s)", rate, seconds));
        return s.toString();
    }
}
