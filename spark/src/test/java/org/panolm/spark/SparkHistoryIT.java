package org.panolm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job against {@code panolm history decrypt} on the same input: a history made by python3-olm
 * (libolm), with a withheld session (UNKNOWN_SESSION), a session exported late (UNKNOWN_INDEX), and rows added
 * here that are no events or damaged ones. Both run as processes, as a user runs them; every output row must
 * be the CLI's line for the same event (order aside), none missing, none twice.
 */
class SparkHistoryIT {
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final Path ROOT = root();
    private static final String PASSPHRASE = "correct horse battery staple";

    @TempDir
    static Path dir;

    private static List<ObjectNode> events;
    private static Path keys;
    private static Path exportFile;
    private static Path passphraseFile;
    private static List<String> extraLines;

    @BeforeAll
    static void history() throws IOException {
        JsonNode made = python("cli_history.py", Map.of("rooms", 3, "senders", 3, "messages", 40, "passphrase", PASSPHRASE,
                "rounds", 1000));
        events = new ArrayList<>();
        made.get("events").forEach(e -> events.add((ObjectNode) e));
        keys = Files.writeString(dir.resolve("keys.json"), made.get("keys").toString());
        exportFile = Files.writeString(dir.resolve("keys.txt"), made.get("export_file").asText());
        passphraseFile = Files.writeString(dir.resolve("passphrase.txt"), PASSPHRASE);
        // Damage the CLI and the job must report the same way: a tampered ciphertext, an event of one room
        // naming another room's session, an encrypted event without a session id.
        ObjectNode encrypted = events.stream().filter(e -> e.get("type").asText().equals("m.room.encrypted")).findFirst()
                .orElseThrow();
        ObjectNode tampered = encrypted.deepCopy();
        tampered.put("event_id", "$tampered");
        String ct = tampered.get("content").get("ciphertext").asText();
        ((ObjectNode) tampered.get("content")).put("ciphertext", ct.substring(0, 20) + (ct.charAt(20) == 'A' ? 'B' : 'A')
                + ct.substring(21));
        ObjectNode otherRoom = encrypted.deepCopy();
        otherRoom.put("event_id", "$other-room").put("room_id", "!elsewhere:example.org");
        ObjectNode noSession = encrypted.deepCopy();
        noSession.put("event_id", "$no-session");
        ((ObjectNode) noSession.get("content")).remove("session_id");
        extraLines = List.of(tampered.toString(), otherRoom.toString(), noSession.toString(),
                "{\"not\": \"an event\"}", "[1, 2]", "{\"type\": \"m.room.message\", \"content\": {\"body\": \"x\"},",
                "   ",
                // Line ends as Windows writes them: one \r before the \n is dropped, a line of blanks and \r is
                // skipped, and a second \r stays (JSON whitespace after the value).
                events.getFirst() + "\r", "\t\r", "[1, 2]\r\r");
    }

    private static Path jsonl(String name) throws IOException {
        StringBuilder s = new StringBuilder();
        events.forEach(e -> s.append(e).append('\n'));
        extraLines.forEach(l -> s.append(l).append('\n'));
        return Files.writeString(dir.resolve(name), s.toString());
    }

    @Test
    void localTwoThreadsGivesTheCliLinesForEveryEventFromJsonLines() throws Exception {
        Path in = jsonl("history.jsonl");
        List<JsonNode> cli = cli(in, "--keys", keys.toString());
        Path out = dir.resolve("spark-jsonl");
        Result r = job("--keys", keys.toString(), "--in", in.toString(), "--out", out.toString(), "--format", "jsonl",
                "--master", "local[2]", "--partitions", "3", "--batch-size", "7");
        assertEquals(2, r.exit(), r.stderr());
        assertSameRows(cli, partLines(out));
        assertTrue(r.stderr().contains("panolm-spark: " + summary(cli) + ";"), r.stderr());
        assertNoKeyMaterial(r.stderr());
    }

    @Test
    void aLocalClusterOfTwoExecutorJvmsDecryptsASynapseDumpWithAnExportFileEvenWhenAnExecutorIsKilled() throws Exception {
        // event_json as Synapse stores it: the event id only in its column (room versions 3 and later).
        StringBuilder csv = new StringBuilder("event_id,room_id,internal_metadata,json,format_version\n");
        for (ObjectNode e : events) {
            ObjectNode stored = e.deepCopy();
            stored.remove("event_id");
            csv.append(csvField(e.get("event_id").asText())).append(',').append(csvField(e.get("room_id").asText()))
                    .append(",{},").append(csvField(stored.toString())).append(",3\n");
        }
        Path in = Files.writeString(dir.resolve("event_json.csv"), csv.toString());
        Path plain = Files.writeString(dir.resolve("plain.jsonl"), String.join("\n", events.stream().map(Object::toString).toList()) + "\n");
        List<JsonNode> cli = cli(plain, "--keys", exportFile.toString(), "--passphrase-file", passphraseFile.toString());
        Path out = dir.resolve("spark-parquet");
        // One executor JVM is killed once the job writes its output (its tasks, and the shuffle files it held, are
        // lost): Spark starts another and runs the lost work again; the output must still be exact.
        Path temporary = out.resolve("_temporary");
        boolean[] killed = {false};
        Result r = java(process -> {
            while (process.isAlive() && !Files.exists(temporary)) {
                Thread.sleep(50);
            }
            process.descendants().filter(SparkHistoryIT::isExecutor)
                    .findFirst().ifPresent(executor -> killed[0] = process.isAlive() && executor.destroyForcibly());
        }, "org.panolm.spark.SparkHistory", "--keys", exportFile.toString(), "--passphrase-file",
                passphraseFile.toString(), "--in", in.toString(), "--out", out.toString(), "--master",
                "local-cluster[2,1,1024]", "--partitions", "4");
        assertEquals(2, r.exit(), r.stderr());
        assertTrue(killed[0], "an executor was killed while the job ran");
        assertTrue(r.stderr().contains("Lost executor") || r.stderr().contains("lost executor"),
                "Spark noticed the lost executor:\n" + r.stderr());
        // The parquet's json column holds the CLI's line; read it with the job's own jar on a local Spark.
        Path lines = dir.resolve("parquet-lines");
        Result dump = java("org.panolm.spark.ParquetLines", out.toString(), lines.toString());
        assertEquals(0, dump.exit(), dump.stderr());
        assertSameRows(cli, History.lines(Files.readString(lines)));
        assertNoKeyMaterial(r.stderr());
    }

    /**
     * Whether a process is a Spark executor JVM. Read from /proc: {@code ProcessHandle.Info.commandLine()} is empty
     * for a command line as long as an executor's (its class path alone is tens of kilobytes).
     */
    private static boolean isExecutor(ProcessHandle h) {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline"));
            return new String(cmdline, java.nio.charset.StandardCharsets.UTF_8).contains("CoarseGrainedExecutorBackend");
        } catch (IOException e) {
            return false; // it has exited
        }
    }

    /** The job's summary of rows like these: {@code 150 events: BAD_EVENT 4, …, ok 122}. */
    private static String summary(List<JsonNode> rows) {
        Map<String, Integer> byStatus = new TreeMap<>();
        rows.forEach(r -> byStatus.merge(r.at("/decryption/status").asText(), 1, Integer::sum));
        StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT, "%,d events:", rows.size()));
        byStatus.forEach((k, v) -> s.append(' ').append(k).append(' ').append(v).append(','));
        s.setLength(s.length() - 1);
        assertTrue(byStatus.keySet().containsAll(List.of("BAD_EVENT", "UNKNOWN_SESSION", "UNKNOWN_INDEX", "ROOM_MISMATCH", "ok",
                "not_encrypted")), "the input has every kind of row: " + byStatus);
        return s.toString();
    }

    private static String csvField(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    /** Same multiset of rows; rows that are no event (the CLI names their line, the job cannot) by status only. */
    private static void assertSameRows(List<JsonNode> cli, List<JsonNode> spark) throws IOException {
        assertEquals(cli.size(), spark.size(), "one row per input event");
        Map<String, Integer> want = count(cli);
        Map<String, Integer> got = count(spark);
        assertEquals(want, got);
    }

    private static Map<String, Integer> count(List<JsonNode> rows) throws IOException {
        Map<String, Integer> m = new TreeMap<>();
        for (JsonNode row : rows) {
            JsonNode canonical = row;
            if (row.size() == 1 && row.has("decryption")) {
                assertEquals("BAD_EVENT", row.at("/decryption/status").asText(), row.toString());
                assertFalse(row.at("/decryption/reason").asText().isEmpty());
                canonical = JSON.createObjectNode().set("decryption", JSON.createObjectNode().put("status", "BAD_EVENT"));
            }
            m.merge(JSON.writeValueAsString(JSON.treeToValue(canonical, Object.class)), 1, Integer::sum);
        }
        return m;
    }

    private static void assertNoKeyMaterial(String stderr) throws IOException {
        for (JsonNode k : JSON.readTree(keys.toFile())) {
            String sessionKey = k.get("session_key").asText();
            assertFalse(stderr.contains(sessionKey.substring(0, 24)), "a room key in the job's output");
        }
        assertFalse(stderr.contains(PASSPHRASE));
    }

    private static List<JsonNode> partLines(Path out) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> parts = Files.list(out)) {
            for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                all.append(Files.readString(p));
            }
        }
        return History.lines(all.toString());
    }

    private static List<JsonNode> cli(Path in, String... keyArgs) throws IOException {
        Path out = dir.resolve("cli-" + System.nanoTime() + ".jsonl");
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "--enable-native-access=ALL-UNNAMED", "-jar",
                property("panolm.cli.jar"), "history", "decrypt", "--in", in.toString(), "--out", out.toString()));
        cmd.addAll(Arrays.asList(keyArgs));
        Result r = run(cmd);
        assertEquals(2, r.exit(), r.stderr());
        return History.lines(Files.readString(out));
    }

    private record Result(int exit, String stderr) {}

    private static Result job(String... args) {
        return java("org.panolm.spark.SparkHistory", args);
    }

    /** Something done to a running process (from another thread). */
    interface WhileRunning {
        void with(Process p) throws Exception;
    }

    private static Result java(String main, String... args) {
        return java(p -> { }, main, args);
    }

    /** A main class run as scripts/spark-history runs it: the job jar, Spark from the Maven repository. */
    private static Result java(WhileRunning meanwhile, String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(javaBin()));
        cmd.addAll(Arrays.asList(property("panolm.spark.jvm.flags").split(" ")));
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
                "-Dlog4j2.configurationFile=classpath:org/panolm/spark/log4j2.properties", "-cp",
                property("panolm.spark.jar") + ":" + property("panolm.spark.test.classes") + ":" + read(Path.of(property("panolm.spark.classpath"))).strip(), main));
        cmd.addAll(Arrays.asList(args));
        return run(cmd, meanwhile);
    }

    private static Result run(List<String> cmd) {
        return run(cmd, p -> { });
    }

    private static Result run(List<String> cmd, WhileRunning meanwhile) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
            if (cmd.stream().anyMatch(a -> a.startsWith("local-cluster"))) {
                pb.environment().put("SPARK_TESTING", "1");
                pb.environment().put("SPARK_SCALA_VERSION", "2.13");
            }
            Path err = Files.createTempFile(dir, "stderr", ".txt");
            pb.redirectError(err.toFile());
            Process p = pb.start();
            Thread side = Thread.ofVirtual().start(() -> {
                try {
                    meanwhile.with(p);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // Generous: a local cluster starts two more JVMs that compile Spark's generated code cold, and the test
            // machine's cores are shared (unloaded, the local-cluster run takes about a minute).
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("timed out: " + cmd.get(cmd.size() - 1) + "\n" + read(err));
            }
            side.join();
            return new Result(p.exitValue(), read(err));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String property(String name) {
        String v = System.getProperty(name);
        assertTrue(v != null && !v.isEmpty(), name + " is needed (run through mvn verify)");
        return v;
    }

    private static String javaBin() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static JsonNode python(String script, Object input) {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", ROOT.resolve("interop/python").resolve(script).toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (var in = p.getOutputStream()) {
                in.write(JSON.writeValueAsBytes(input));
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail("the python3-olm peer failed (needs python3-olm and python3-matrix-nio)");
            }
            return JSON.readTree(out);
        } catch (IOException e) {
            return fail("the python3-olm peer could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("interop"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root (a folder with interop/)");
        }
        return p;
    }

    /** JSON Lines text as trees. */
    static final class History {
        private History() {}

        static List<JsonNode> lines(String text) throws IOException {
            List<JsonNode> out = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        }
    }
}
