package org.panolm.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the vectors one test checked, by outcome, and collects every mismatch so a run reports all
 * failing cases at once instead of stopping at the first.
 */
final class VectorTally {
    private final String name;
    private final Map<String, Integer> counts = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();

    VectorTally(String name) {
        this.name = name;
    }

    void pass(String outcome) {
        counts.merge(outcome, 1, Integer::sum);
    }

    void fail(Wycheproof.Case c, String why) {
        failures.add(c.label() + ": " + why);
    }

    int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Fails listing every mismatch; otherwise checks that exactly {@code expected} vectors passed. */
    void assertAllPassed(int expected) {
        if (!failures.isEmpty()) {
            throw new AssertionError(name + ": " + failures.size() + " vectors failed:\n" + String.join("\n", failures));
        }
        assertEquals(expected, total(), name + ": vectors checked " + counts);
        System.out.println("[wycheproof] " + name + ": " + total() + " vectors passed " + counts);
    }
}
