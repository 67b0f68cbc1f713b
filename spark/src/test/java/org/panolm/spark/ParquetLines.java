package org.panolm.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * For the tests: the {@code json} column of a job's Parquet output as JSON Lines, and a check that the other
 * columns agree with it. Run as a process on a local Spark.
 */
public final class ParquetLines {
    private ParquetLines() {}

    public static void main(String[] args) throws Exception {
        SparkSession spark = SparkSession.builder().master("local[1]").appName("read parquet")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            List<Row> rows = spark.read().parquet(args[0])
                    .select("json", "status", "event_id", "ordinal").collectAsList();
            StringBuilder out = new StringBuilder();
            java.util.Set<Long> ordinals = new java.util.HashSet<>();
            for (Row r : rows) {
                String json = r.getString(0);
                String status = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(json)
                        .at("/decryption/status").asText();
                if (!status.equals(r.getString(1))) {
                    throw new IllegalStateException("status column " + r.getString(1) + " but json says " + status);
                }
                if (!ordinals.add(r.getLong(3))) {
                    throw new IllegalStateException("ordinal " + r.getLong(3) + " twice");
                }
                out.append(json).append('\n');
            }
            Files.writeString(Path.of(args[1]), out.toString());
        } finally {
            spark.stop();
        }
    }
}
