package org.panolm.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report pairs each figure with its baselines from the results file, sums floors, and draws the chart. */
class ReportTest {
    @TempDir
    Path dir;

    private static String result(String bench, String params, double score, String unit, double alloc) {
        return """
                {"benchmark": "org.panolm.benchmarks.%s", "mode": "avgt", "threads": 1, "params": {%s},
                 "primaryMetric": {"score": %s, "scoreError": 0.5, "scoreUnit": "%s"},
                 "secondaryMetrics": {%s}}""".formatted(bench, params, score, unit,
                Double.isNaN(alloc) ? "" : "\"gc.alloc.rate.norm\": {\"score\": " + alloc + ", \"scoreUnit\": \"B/op\"}");
    }

    @Test
    void writesTablesWithRatiosFloorsAndAChart() throws Exception {
        String decrypt = "megolm.MegolmDecryptBench.decrypt";
        String shape = "\"size\": \"256\", \"order\": \"NEWEST_FIRST\", \"messages\": \"1000\"";
        String json = "[" + String.join(",",
                result(decrypt, "\"impl\": \"PANOLM\", " + shape, 40, "us/op", 16),
                result(decrypt, "\"impl\": \"LIBOLM\", " + shape, 80, "us/op", 120),
                result(decrypt, "\"impl\": \"JDK\", " + shape, 0.4, "ms/op", 9000),
                result("floor.SizedPrimitiveBench.ed25519Verify", "\"size\": \"256\"", 30, "us/op", Double.NaN),
                result("floor.FixedPrimitiveBench.hkdfMegolm", "", 1000, "ns/op", Double.NaN),
                result("floor.SizedPrimitiveBench.hmacSha256", "\"size\": \"256\"", 500, "ns/op", Double.NaN),
                result("floor.SizedPrimitiveBench.aesCbcDecrypt", "\"size\": \"256\"", 0.5, "us/op", Double.NaN),
                result("backup.BackupKeyBench.decrypt", "\"impl\": \"LIBOLM\"", 140, "us/op", Double.NaN)) + "]";
        Path results = Files.writeString(dir.resolve("jmh.json"), json);
        Path vodozemac = Files.writeString(dir.resolve("v.json"),
                "{\"version\": \"18.9.0\", \"results\": {\"backupDecrypt\": {\"nanosPerOp\": 168000, \"runs\": 10}}}");
        Path info = Files.writeString(dir.resolve("run.properties"),
                "date=2026-11-23 18:00 UTC\ncpu=Test CPU\ncores=2\njdk=JDK 25\nquick=false\ncommand=benchmarks/run\n");
        Path md = dir.resolve("BENCHMARKS.md");
        Path png = dir.resolve("BENCHMARKS.png");

        Report.main(new String[] {results.toString(), vodozemac.toString(), info.toString(), md.toString(), png.toString()});

        String text = Files.readString(md, StandardCharsets.UTF_8);
        // 40 µs against libolm's 80 µs and the JDK's 400 µs; floor 30 + 1 + 0.5 + 0.5 = 32 µs.
        assertTrue(text.contains("| decrypt one message, 256 B, newest first | 40.0 µs | 80.0 µs | 400 µs | — | 32.0 µs | 2.00× | 10.00× | 0.80× | 16 |"),
                text);
        assertTrue(text.contains("| decrypt one key | — | 140 µs | — | 168 µs | — |"), text);
        assertTrue(text.contains("Room history: panolm needs 40.0 µs per 256-byte Megolm message (25,000 per second), "
                + "2.0× as fast as libolm through FFM, 10.0× as fast as the pure JDK."), text);
        assertTrue(text.contains("Test CPU, 2 cores"), text);
        assertTrue(!text.contains("4096 B"), "rows without any figure are left out");
        BufferedImage chart = ImageIO.read(png.toFile());
        assertEquals(1400, chart.getWidth());
    }

    @Test
    void aJmhRunKeepsTheEndToEndSectionAndEverySectionAfterIt() throws Exception {
        Path results = Files.writeString(dir.resolve("jmh.json"), "[" + result("backup.BackupKeyBench.decrypt",
                "\"impl\": \"LIBOLM\"", 140, "us/op", Double.NaN) + "]");
        Path info = Files.writeString(dir.resolve("run.properties"),
                "date=2026-11-23 18:00 UTC\ncpu=Test CPU\ncores=2\njdk=JDK 25\nquick=false\ncommand=benchmarks/run\n");
        Path md = dir.resolve("BENCHMARKS.md");
        String tail = Report.E2E_BEGIN + "\n## End to end\nfigures\n" + Report.E2E_END
                + "\n\n## Online: written by hand\n\nkept text\n\n## Spark\n\nmore kept text\n";
        Files.writeString(md, "# old tables\n\n| old | row |\n\n" + tail);

        Report.main(new String[] {results.toString(), "-", info.toString(), md.toString(),
                dir.resolve("BENCHMARKS.png").toString()});

        String text = Files.readString(md, StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n" + tail), text);
        assertTrue(!text.contains("| old | row |"), "the old tables are replaced");
        assertTrue(text.contains("| decrypt one key | — | 140 µs |"), text);
    }

    @Test
    void olmRowsTakeTheOlmMachineFiguresAndSharesOnlyOnOneThread() throws Exception {
        String share = "olm.OlmShareBench.share";
        String json = "[" + String.join(",",
                result("olm.OlmSessionBench.createSession", "\"impl\": \"PANOLM\", \"size\": \"256\"", 200, "us/op",
                        Double.NaN),
                result(share, "\"impl\": \"PANOLM\", \"recipients\": \"1000\", \"threads\": \"1\"", 50, "ms/op", Double.NaN),
                result(share, "\"impl\": \"PANOLM\", \"recipients\": \"1000\", \"threads\": \"2\"", 30, "ms/op", Double.NaN))
                + "]";
        Path results = Files.writeString(dir.resolve("jmh.json"), json);
        Path vodozemac = Files.writeString(dir.resolve("v.json"), """
                {"version": "18.9.0", "results": {"olmCreateSession": {"nanosPerOp": 20000000, "runs": 20},
                 "olmEmptySync": {"nanosPerOp": 3000000, "runs": 80},
                 "olmShare1000": {"nanosPerOp": 500000000, "runs": 2}}}""");
        Path info = Files.writeString(dir.resolve("run.properties"),
                "date=2026-12-05 08:00 UTC\ncpu=Test CPU\ncores=2\njdk=JDK 25\nquick=true\ncommand=benchmarks/run --quick Olm\n");
        Path md = dir.resolve("BENCHMARKS.md");

        Report.main(new String[] {results.toString(), vodozemac.toString(), info.toString(), md.toString(),
                dir.resolve("BENCHMARKS.png").toString()});

        String text = Files.readString(md, StandardCharsets.UTF_8);
        assertTrue(text.contains("| set up a session: outbound, pre-key message, inbound, decrypt | 200 µs | — | — | 20.0 ms † |"),
                text);
        assertTrue(text.contains("| OlmMachine alone: one sync without events (inside each vodozemac decryption above) | — | — | — "
                + "| 3.00 ms † |"), text);
        assertTrue(text.contains("| share a room key with 1,000 devices, 1 thread (whole share) | 50.0 ms | — | — | 500 ms † |"),
                text);
        assertTrue(text.contains("| share a room key with 1,000 devices, 2 threads (whole share) | 30.0 ms | — | — | — |"),
                text);
        assertTrue(text.contains("† vodozemac (wasm) in the Olm rows is measured through `OlmMachine`"), text);
    }
}
