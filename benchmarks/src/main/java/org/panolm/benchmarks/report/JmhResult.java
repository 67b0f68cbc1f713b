package org.panolm.benchmarks.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One entry of JMH's JSON result file, its score converted to nanoseconds per operation.
 * {@code allocBytesPerOp} is {@code gc.alloc.rate.norm} when the run used {@code -prof gc}, else NaN.
 */
public record JmhResult(String benchmark, Map<String, String> params, double nanosPerOp, double errorNanos,
                        double allocBytesPerOp, int threads) {

    public static List<JmhResult> load(Path file) throws IOException {
        List<JmhResult> out = new ArrayList<>();
        for (JsonNode n : new ObjectMapper().readTree(file.toFile())) {
            Map<String, String> params = new LinkedHashMap<>();
            n.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            JsonNode primary = n.path("primaryMetric");
            String unit = primary.path("scoreUnit").asText();
            double scale = nanosPer(unit, n.path("benchmark").asText());
            double alloc = n.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score").asDouble(Double.NaN);
            out.add(new JmhResult(n.path("benchmark").asText(), params, primary.path("score").asDouble() * scale,
                    primary.path("scoreError").asDouble(Double.NaN) * scale, alloc, n.path("threads").asInt(1)));
        }
        return out;
    }

    private static double nanosPer(String unit, String benchmark) {
        return switch (unit) {
            case "ns/op" -> 1;
            case "us/op" -> 1e3;
            case "ms/op" -> 1e6;
            case "s/op" -> 1e9;
            default -> throw new IllegalArgumentException(benchmark + ": report needs time per operation, not " + unit);
        };
    }
}
