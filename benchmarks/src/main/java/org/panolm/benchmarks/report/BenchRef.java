package org.panolm.benchmarks.report;

import java.util.Map;

/** Names one JMH result: the benchmark class's simple name, its method, and the parameters that must match. */
public record BenchRef(String benchClass, String method, Map<String, String> params) {
    public BenchRef {
        params = Map.copyOf(params);
    }

    public static BenchRef of(String benchClass, String method, String... keyValues) {
        if (keyValues.length % 2 != 0) throw new IllegalArgumentException("parameters come in pairs");
        java.util.LinkedHashMap<String, String> p = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) p.put(keyValues[i], keyValues[i + 1]);
        return new BenchRef(benchClass, method, p);
    }

    boolean matches(JmhResult r) {
        if (!r.benchmark().endsWith("." + benchClass + "." + method)) return false;
        for (var e : params.entrySet()) {
            if (!e.getValue().equals(r.params().get(e.getKey()))) return false;
        }
        return true;
    }
}
