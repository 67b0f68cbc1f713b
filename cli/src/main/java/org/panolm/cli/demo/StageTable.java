package org.panolm.cli.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The short table the demo and the bench print: what each stage did, how long it took, at what rate. */
public final class StageTable {
    private record Row(String stage, long items, String unit, double seconds) {}

    private final List<Row> rows = new ArrayList<>();

    public void add(String stage, long items, String unit, double seconds) {
        rows.add(new Row(stage, items, unit, seconds));
    }

    /** Prints the table to standard output; a failed write fails the run. */
    public void print() {
        StringBuilder text = new StringBuilder();
        print(text);
        org.panolm.cli.StandardStreams.println(text.toString().stripTrailing());
    }

    private void print(StringBuilder out) {
        out.append(String.format(Locale.ROOT, "%-40s %12s %10s %18s%n", "stage", "items", "wall time", "rate"));
        double total = 0;
        for (Row r : rows) {
            total += r.seconds;
            String rate = r.unit == null || r.seconds <= 0 ? ""
                    : String.format(Locale.ROOT, r.items / r.seconds < 100 ? "%,.2f %s/s" : "%,.0f %s/s",
                            r.items / r.seconds, r.unit);
            out.append(String.format(Locale.ROOT, "%-40s %,12d %8.2f s %18s%n", r.stage, r.items, r.seconds, rate));
        }
        out.append(String.format(Locale.ROOT, "%-40s %12s %8.2f s%n", "total", "", total));
    }
}
