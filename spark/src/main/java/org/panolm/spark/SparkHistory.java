package org.panolm.spark;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import org.panolm.cli.CliException;
import org.panolm.cli.ExitCodes;
import org.panolm.cli.Terminal;
import org.panolm.cli.io.JsonLimits;
import org.panolm.cli.keys.KeyLoader;
import org.panolm.cli.keys.KeyRing;
import org.panolm.cli.keys.KeySecretOptions;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The launcher: {@code ./scripts/spark-history} runs it on an embedded Spark, {@code spark-submit} runs it as
 * the main class of the job jar. Keys are read and unlocked on the driver with the CLI's key loading; the job
 * settings that keep them secret are set here and cannot be turned off.
 */
@Command(name = "spark-history", mixinStandardHelpOptions = true,
        description = {
            "Decrypts a room history on Apache Spark with panolm's batch engine on every executor. Output: one row "
                    + "per input event (failed ones too) with the same decryption object as panolm history decrypt; "
                    + "then a count per status.",
            "Exit status: 0 every encrypted event decrypted, 2 some failed (the output is still complete), 1 fatal "
                    + "error."})
public final class SparkHistory implements Callable<Integer> {
    @Option(names = "--keys", required = true, paramLabel = "FILE",
            description = "Room keys: an export file (needs its passphrase), a JSON array of exported keys, or a "
                    + "/room_keys/keys backup body (needs the Security Key, or a Security Phrase). Repeatable.")
    List<Path> keyFiles;

    @Option(names = "--in", required = true, paramLabel = "PATH",
            description = "The history: JSON Lines files or folders, Parquet, or a Synapse event_json dump (CSV with a "
                    + "header, or JSON Lines) with event_id, room_id and json. Any path Spark reads. Repeatable.")
    List<String> in;

    @Option(names = "--in-format", paramLabel = "FORMAT", defaultValue = "auto",
            description = "auto (default: from the first local input), jsonl, parquet, synapse-csv or synapse-jsonl.")
    String inFormat;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The output folder (must not exist).")
    String out;

    @Option(names = "--format", paramLabel = "parquet|jsonl", defaultValue = "parquet",
            description = "parquet (default): columns ordinal, event_id, room_id, sender, origin_server_ts, type, "
                    + "status and json (the CLI's line); jsonl: the CLI's lines.")
    String format;

    @Option(names = "--master", paramLabel = "URL",
            description = "local[*] (default, unless spark-submit set one), local[N], local-cluster[W,C,MiB], "
                    + "spark://host:port, yarn.")
    String master;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of the session shuffle (default: twice Spark's default parallelism).")
    Integer partitions;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "4096",
            description = "Events per native batch in a task (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-event-size", paramLabel = "BYTES", defaultValue = "" + JsonLimits.DEFAULT_MAX_EVENT_BYTES,
            description = "The largest event accepted; a larger one is a BAD_EVENT row (default: ${DEFAULT-VALUE}).")
    int maxEventSize;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting. Repeatable.")
    List<String> conf = new ArrayList<>();

    @Option(names = "--ui", description = "Start the Spark web UI (off by default for an embedded run).")
    boolean ui;

    @Mixin
    KeySecretOptions secrets;

    /** Settings the job needs for its secrets; a --conf that changes them is refused. */
    static final Map<String, String> REQUIRED = Map.of(
            "spark.authenticate", "true",
            "spark.network.crypto.enabled", "true",
            "spark.io.encryption.enabled", "true",
            // A broadcast would copy every key to every executor: the keys go by a shuffle join instead.
            "spark.sql.autoBroadcastJoinThreshold", "-1",
            // Fixed partitions: adaptive execution could split a session over two tasks (skew) or broadcast.
            "spark.sql.adaptive.enabled", "false",
            // The job adds no artifacts: without this, executors may ask the driver for generated classes over RPC
            // (a session class loader) and wait on it.
            "spark.sql.artifact.isolation.enabled", "false");

    /** Spark's own redaction pattern, and the names of panolm's secrets, hidden from the UI and the logs. */
    static final String REDACTION = "(?i)secret|password|token|access[.]?key|passphrase|recovery|security.?key";

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new SparkHistory());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (e instanceof CliException || e instanceof org.panolm.PanolmException) {
                err.println("panolm-spark: " + Terminal.printable(e.getMessage()));
            } else {
                // No message: an exception from a library may quote its input, and the input may be a secret.
                err.println("panolm-spark: job failed: " + e.getClass().getName());
                for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
                    err.println("panolm-spark:   caused by " + t.getClass().getName());
                }
            }
            err.flush();
            return ExitCodes.FATAL;
        });
        int code = cl.execute(args);
        System.exit(code);
    }

    @Override
    public Integer call() {
        if (!format.equals("parquet") && !format.equals("jsonl")) {
            throw new CliException("--format must be parquet or jsonl, not " + Terminal.printable(format));
        }
        if (batchSize < 1 || batchSize > 1_000_000) {
            throw new CliException("--batch-size must be between 1 and 1000000, not " + batchSize);
        }
        if (maxEventSize < 1024 || maxEventSize > 64 << 20) {
            throw new CliException("--max-event-size must be between 1024 and " + (64 << 20) + ", not " + maxEventSize);
        }
        if (partitions != null && (partitions < 1 || partitions > 1_000_000)) {
            throw new CliException("--partitions must be between 1 and 1000000, not " + partitions);
        }
        InputFormat input = inFormat.equals("auto") ? InputFormat.detect(in.get(0)) : InputFormat.named(inFormat);
        if (!out.contains("://") && Files.exists(Path.of(out))) {
            throw new CliException("--out " + out + " already exists");
        }
        SparkConf sc = sparkConf();
        KeySecretOptions unlock = secrets;
        try (KeyRing ring = new KeyRing(); unlock) {
            SessionKeys.Collector keys = new SessionKeys.Collector(ring);
            KeyLoader.load(keyFiles, "--keys", unlock, Set.of(), keys);
            KeyLoader.reportRejected(ring, System.err);
            KeyLoader.reportConflicts(ring, System.err);
            if (ring.size() == 0) {
                throw new CliException("no usable room key in " + keyFiles);
            }
            long start = System.nanoTime();
            SparkSession spark = SparkSession.builder().config(sc).getOrCreate();
            try {
                spark.sparkContext().setLogLevel("WARN");
                if (partitions == null) {
                    spark.conf().set("spark.sql.shuffle.partitions",
                            String.valueOf(Math.max(2, 2 * spark.sparkContext().defaultParallelism())));
                }
                HistoryJob.Result r = HistoryJob.run(spark, new HistoryJob.Options(in, input, out, format, batchSize,
                        maxEventSize), keys.bySession());
                double seconds = (System.nanoTime() - start) / 1e9;
                System.err.println("panolm-spark: " + summary(r, seconds));
                if (r.input() != r.output()) {
                    throw new CliException("the output has " + r.output() + " rows for " + r.input()
                            + " input events: some were lost or written twice");
                }
                return r.failed() == 0 ? ExitCodes.OK : ExitCodes.SOME_FAILED;
            } finally {
                spark.stop();
            }
        }
    }

    private SparkConf sparkConf() {
        SparkConf sc = new SparkConf(true).setAppName("panolm history decrypt");
        if (master != null) {
            sc.setMaster(master);
        } else if (!sc.contains("spark.master")) {
            sc.setMaster("local[*]");
        }
        String m = sc.get("spark.master");
        for (String kv : conf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new CliException("--conf must be KEY=VALUE, not " + Terminal.printable(kv));
            }
            String key = kv.substring(0, eq);
            if (REQUIRED.containsKey(key) && !REQUIRED.get(key).equals(kv.substring(eq + 1))) {
                throw new CliException("--conf " + key + " cannot be changed: the job keeps room keys secret with it");
            }
            sc.set(key, kv.substring(eq + 1));
        }
        REQUIRED.forEach(sc::set);
        sc.set("spark.redaction.regex", REDACTION);
        sc.setIfMissing("spark.ui.enabled", String.valueOf(ui || !m.startsWith("local")));
        if (partitions != null) {
            sc.set("spark.sql.shuffle.partitions", partitions.toString());
        }
        if (m.startsWith("local")) {
            // An embedded run talks to itself only: over the loopback interface, never a network address.
            sc.setIfMissing("spark.driver.host", "127.0.0.1");
            sc.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        if (m.startsWith("local") && !sc.contains("spark.authenticate.secret")) {
            // An embedded run makes its own RPC secret (Spark does so itself for local[*], not for local-cluster).
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            sc.set("spark.authenticate.secret", HexFormat.of().formatHex(secret));
        }
        if (m.startsWith("local-cluster")) {
            // Spark's local cluster starts real executor JVMs; as in Spark's own tests, they get this JVM's class
            // path (Spark, panolm and libpanolm) instead of a Spark installation's jars.
            System.setProperty("spark.testing", "true");
            if (System.getProperty("spark.test.home") == null) {
                System.setProperty("spark.test.home", System.getProperty("java.io.tmpdir"));
            }
        }
        return sc;
    }

    static String summary(HistoryJob.Result r, double seconds) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%,d events:", r.output()));
        r.byStatus().forEach((status, n) -> s.append(' ').append(Terminal.printable(status)).append(' ')
                .append(String.format(Locale.ROOT, "%,d", n)).append(','));
        s.setLength(s.length() - 1);
        s.append(String.format(Locale.ROOT, "; %.2f s, %,.0f events/s", seconds, seconds > 0 ? r.output() / seconds : 0));
        return s.toString();
    }
}
