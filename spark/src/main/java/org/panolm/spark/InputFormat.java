package org.panolm.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

import org.panolm.cli.CliException;
import org.panolm.cli.Json;

/**
 * The kinds of input the job reads, each turned into rows of {@link KeyBySession#IN} (without the position):
 * JSON Lines of events (files or folders), Parquet (a {@code json} column holding the event, or the event's
 * fields as columns), and a dump of Synapse's {@code event_json} table as CSV with a header or as JSON Lines,
 * with its {@code event_id}, {@code room_id} and {@code json} columns.
 */
enum InputFormat {
    JSONL, PARQUET, SYNAPSE_CSV, SYNAPSE_JSONL;

    static InputFormat named(String name) {
        for (InputFormat f : values()) {
            if (f.optionName().equals(name)) {
                return f;
            }
        }
        throw new CliException("--in-format must be auto, jsonl, parquet, synapse-csv or synapse-jsonl, not " + name);
    }

    String optionName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Guesses the format from the first input (local paths only; give --in-format for others): {@code .parquet}
     * files, {@code .csv} files, or JSON Lines whose first line is an {@code event_json} row (an object with a
     * string {@code json} and no {@code type}) or an event.
     */
    static InputFormat detect(String first) {
        Path p = Path.of(first);
        Path sample = p;
        if (Files.isDirectory(p)) {
            try (Stream<Path> files = Files.list(p)) {
                sample = files.filter(f -> !f.getFileName().toString().startsWith("_")
                                && !f.getFileName().toString().startsWith(".") && Files.isRegularFile(f))
                        .sorted().findFirst().orElse(null);
            } catch (IOException e) {
                throw new CliException("cannot read --in " + first + ": " + e.getClass().getSimpleName());
            }
            if (sample == null) {
                throw new CliException("--in " + first + " is an empty folder");
            }
        }
        String name = sample.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".parquet")) {
            return PARQUET;
        }
        if (name.endsWith(".csv")) {
            return SYNAPSE_CSV;
        }
        if (!Files.isRegularFile(sample)) {
            throw new CliException("cannot read --in " + first + ": no such file or folder");
        }
        try (BufferedReader r = Files.newBufferedReader(sample, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null && line.isBlank()) {
                // the first line with something on it decides
            }
            if (line != null) {
                try {
                    JsonNode n = Json.MAPPER.readTree(line);
                    if (n.isObject() && n.path("json").isTextual() && !n.has("type")) {
                        return SYNAPSE_JSONL;
                    }
                } catch (IOException e) {
                    // not JSON: read as JSON Lines, where it becomes a BAD_EVENT row
                }
            }
        } catch (IOException e) {
            throw new CliException("cannot read --in " + first + ": " + e.getClass().getSimpleName());
        }
        return JSONL;
    }

    /** @return rows of (json as UTF-8 bytes, event_id, room_id); JSON Lines still with blank lines and \r */
    Dataset<Row> read(SparkSession spark, List<String> paths) {
        String[] p = paths.toArray(String[]::new);
        Column none = functions.lit(null).cast("string");
        // Binary, not string: the event is parsed from its bytes, so a Java String of it is never needed.
        return switch (this) {
            // One row per line, split at \n only (as the CLI splits); KeyBySession drops a \r before it and
            // skips blank lines on the bytes (Spark's trim and length functions count characters: slower).
            case JSONL -> lines(spark, p)
                    .select(functions.col("value").cast("binary").as("json"), none.as("event_id"), none.as("room_id"));
            case PARQUET -> {
                Dataset<Row> d = spark.read().parquet(p);
                boolean hasJson = List.of(d.columns()).contains("json");
                Column json = hasJson ? functions.col("json").cast("string")
                        : functions.to_json(functions.struct(functions.col("*")));
                yield d.select(json.cast("binary").as("json"), none.as("event_id"), none.as("room_id"));
            }
            case SYNAPSE_CSV -> spark.read().option("header", "true").option("multiLine", "true")
                    .option("escape", "\"").option("inferSchema", "false")
                    .csv(p).select(functions.col("json").cast("binary").as("json"), functions.col("event_id"),
                            functions.col("room_id"));
            case SYNAPSE_JSONL -> spark.read().schema("event_id STRING, room_id STRING, json STRING").json(p)
                    .select(functions.col("json").cast("binary").as("json"), functions.col("event_id"),
                            functions.col("room_id"));
        };
    }

    private static Dataset<Row> lines(SparkSession spark, String[] paths) {
        return spark.read().option("lineSep", "\n").text(paths);
    }

    /** The input's events: its rows, less the blank lines of JSON Lines (as {@link #blankLine} finds them). */
    long count(SparkSession spark, List<String> paths) {
        if (this != JSONL) {
            return read(spark, paths).count();
        }
        // Spark's trim and length count characters: asked only of a line that does not start like an event.
        Column line = functions.col("value");
        return lines(spark, paths.toArray(String[]::new))
                .filter(line.startsWith("{").or(functions.length(functions.trim(line, " \t\r")).gt(0)))
                .count();
    }

    /** A JSON Lines line with nothing but spaces, tabs and carriage returns: skipped, as the CLI skips it. */
    static boolean blankLine(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** The line without the one {@code \r} a CRLF file leaves before the {@code \n}. */
    static byte[] withoutCr(byte[] line) {
        return line.length > 0 && line[line.length - 1] == '\r' ? Arrays.copyOf(line, line.length - 1) : line;
    }
}
