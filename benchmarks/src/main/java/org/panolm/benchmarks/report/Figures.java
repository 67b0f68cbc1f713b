package org.panolm.benchmarks.report;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Looks the rows' figures up in one run's results: nanoseconds per operation, or empty when not measured. */
final class Figures {
    private final List<JmhResult> results;
    private final Map<String, Double> vodozemac;

    Figures(List<JmhResult> results, Map<String, Double> vodozemacNanos) {
        this.results = results;
        this.vodozemac = vodozemacNanos;
    }

    OptionalDouble nanos(BenchRef ref) {
        return find(ref).map(r -> OptionalDouble.of(r.nanosPerOp())).orElse(OptionalDouble.empty());
    }

    OptionalDouble alloc(BenchRef ref) {
        return find(ref).filter(r -> !Double.isNaN(r.allocBytesPerOp()))
                .map(r -> OptionalDouble.of(r.allocBytesPerOp())).orElse(OptionalDouble.empty());
    }

    /** The floor: every part must have been measured, or there is none. */
    OptionalDouble floor(List<BenchRef> parts) {
        if (parts.isEmpty()) return OptionalDouble.empty();
        double sum = 0;
        for (BenchRef p : parts) {
            OptionalDouble n = nanos(p);
            if (n.isEmpty()) return OptionalDouble.empty();
            sum += n.getAsDouble();
        }
        return OptionalDouble.of(sum);
    }

    OptionalDouble vodozemac(String key) {
        Double v = key == null ? null : vodozemac.get(key);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    private java.util.Optional<JmhResult> find(BenchRef ref) {
        if (ref == null) return java.util.Optional.empty();
        return results.stream().filter(ref::matches).findFirst();
    }

    /** A row's figures, resolved. */
    record Line(Row row, OptionalDouble panolm, OptionalDouble libolm, OptionalDouble jdk, OptionalDouble vodozemac,
                OptionalDouble floor, OptionalDouble alloc) {
        boolean measured() {
            return panolm.isPresent() || libolm.isPresent() || jdk.isPresent() || vodozemac.isPresent();
        }
    }

    Line line(Row r) {
        return new Line(r, nanos(r.panolm()), nanos(r.libolm()), nanos(r.jdk()), vodozemac(r.vodozemac()),
                floor(r.floor()), alloc(r.panolm()));
    }
}
