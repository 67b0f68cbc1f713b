package org.panolm.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Every benchmark method runs once, in this JVM, on the smallest shapes: a broken setup or a baseline
 * that throws fails here rather than in a 15-minute run. Timings are not looked at.
 */
class BenchmarksSmokeTest {
    @Test
    void everyBenchmarkRunsOnce() throws Exception {
        // JMH takes a machine-wide lock; a benchmark run elsewhere on the machine must not fail this check.
        System.setProperty("jmh.ignoreLock", "true");
        var options = new OptionsBuilder()
                .include("org\\.panolm\\.benchmarks\\..*")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(1))
                .timeUnit(TimeUnit.MICROSECONDS)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .param("size", "64")
                .param("messages", "16")
                .param("seekMessages", "64")
                .param("iterations", "1000")
                .param("rounds", "1000")
                .param("sessions", "20")
                .param("recipients", "20")
                .build();
        Collection<RunResult> results = new Runner(options).run();

        Set<String> ran = new TreeSet<>();
        for (RunResult r : results) {
            ran.add(r.getParams().getBenchmark());
            assertFalse(Double.isNaN(r.getPrimaryResult().getScore()), r.getParams().getBenchmark());
        }
        Set<String> declared = new TreeSet<>();
        for (BenchmarkListEntry e : BenchmarkList.defaultList().getAll(
                OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), java.util.List.of())) {
            declared.add(e.getUsername());
        }
        assertTrue(declared.size() >= 20, "benchmark list: " + declared);
        assertEquals(declared, ran);
    }
}
