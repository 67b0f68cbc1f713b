package org.panolm.benchmarks.report;

import java.util.List;

/**
 * One operation of the report: where to find panolm's figure and each baseline's, the primitives whose
 * sum is its floor, and the key of the vodozemac (wasm) timing, if any. Missing parts are null/empty.
 * {@code throughOlmMachine} marks a vodozemac timing taken through matrix-sdk-crypto's OlmMachine (its store
 * and JSON included) rather than through vodozemac's own API.
 */
public record Row(String section, String label, BenchRef panolm, BenchRef libolm, BenchRef jdk, List<BenchRef> floor,
                  String vodozemac, boolean chart, boolean throughOlmMachine) {
    /** The marker put after a figure taken through OlmMachine, explained in the report's notes. */
    public static final String OLM_MACHINE_MARK = "†";

    public Row {
        floor = List.copyOf(floor);
    }

    /** A row whose vodozemac timing, if any, comes from vodozemac's own API. */
    public Row(String section, String label, BenchRef panolm, BenchRef libolm, BenchRef jdk, List<BenchRef> floor,
               String vodozemac, boolean chart) {
        this(section, label, panolm, libolm, jdk, floor, vodozemac, chart, false);
    }
}
