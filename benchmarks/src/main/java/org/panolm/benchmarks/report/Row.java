package org.panolm.benchmarks.report;

import java.util.List;

/**
 * One operation of the report: where to find panolm's figure and each baseline's, the primitives whose
 * sum is its floor, and the key of the vodozemac (wasm) timing, if any. Missing parts are null/empty.
 */
public record Row(String section, String label, BenchRef panolm, BenchRef libolm, BenchRef jdk, List<BenchRef> floor,
                  String vodozemac, boolean chart) {
    public Row {
        floor = List.copyOf(floor);
    }
}
