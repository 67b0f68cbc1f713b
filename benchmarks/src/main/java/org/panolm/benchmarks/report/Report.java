package org.panolm.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns one run into BENCHMARKS.md and BENCHMARKS.png, and prints the tables.
 * Arguments: JMH JSON results, vodozemac JSON (or {@code -}), run facts (properties), output .md, output .png.
 */
public final class Report {
    private Report() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: Report <jmh.json> <vodozemac.json|-> <run.properties> <out.md> <out.png>");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        List<JmhResult> results = JmhResult.load(Path.of(args[0]));
        Map<String, Double> vodozemac = args[1].equals("-") ? Map.of() : vodozemac(Path.of(args[1]));
        RunInfo info = RunInfo.load(Path.of(args[2]));
        Path md = Path.of(args[3]);
        Path png = Path.of(args[4]);

        Figures figures = new Figures(results, vodozemac);
        List<Figures.Line> lines = Catalogue.rows().stream().map(figures::line).toList();
        MarkdownReport report = new MarkdownReport(lines, info, png.getFileName().toString());
        // What follows the JMH tables (benchmarks/e2e-run's section and the other scripts' and hand-written
        // sections after it) is not this run's: a JMH run keeps it as it was.
        String kept = Files.exists(md) ? keptSections(Files.readString(md, StandardCharsets.UTF_8)) : "";
        Files.writeString(md, report.document() + kept, StandardCharsets.UTF_8);
        new ThroughputChart(lines, info.get("date") + " · " + info.get("cpu") + ", " + info.get("cores") + " cores · "
                + info.get("jdk") + (info.quick() ? " · quick run" : "")).write(png);
        System.out.print(report.tables());
    }

    /** The markers around the section benchmarks/e2e-run writes into BENCHMARKS.md. */
    static final String E2E_BEGIN = "<!-- benchmarks/e2e-run: begin -->";
    static final String E2E_END = "<!-- benchmarks/e2e-run: end -->";

    /**
     * Everything of a BENCHMARKS.md from the end-to-end section's first marker to the end (the sections after
     * it were written by other scripts or by hand), preceded by a blank line; "" without the marker.
     */
    static String keptSections(String document) {
        int begin = document.indexOf(E2E_BEGIN);
        if (begin < 0 || document.indexOf(E2E_END, begin) < 0) {
            return "";
        }
        String tail = document.substring(begin);
        return "\n" + tail + (tail.endsWith("\n") ? "" : "\n");
    }

    /** {@code {"results": {"key": {"nanosPerOp": n}}}} as written by benchmarks/node/vodozemac.mjs. */
    private static Map<String, Double> vodozemac(Path file) throws IOException {
        Map<String, Double> out = new HashMap<>();
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        root.path("results").properties().forEach(e -> out.put(e.getKey(), e.getValue().path("nanosPerOp").asDouble()));
        return out;
    }
}
