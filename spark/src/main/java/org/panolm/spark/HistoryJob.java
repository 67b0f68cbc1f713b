package org.panolm.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The job: read → key by session → one shuffle of the events together with one row of sealed keys per
 * session, partitioned by session (a reduce-side join: each task gets the keys of its own sessions only,
 * never a broadcast of every key) → sort each partition by session and message index, a session's keys
 * first → decrypt → write; then count the output by status and check that it has exactly as many rows as
 * the input.
 */
final class HistoryJob {
    /** What to run. */
    record Options(List<String> in, InputFormat inFormat, String out, String outFormat, int batchSize,
                   int maxEventBytes) {}

    /** What came out: input rows, output rows, output rows per status. */
    record Result(long input, long output, Map<String, Long> byStatus) {
        long failed() {
            return byStatus.entrySet().stream()
                    .filter(e -> !e.getKey().equals("ok") && !e.getKey().equals("not_encrypted"))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    private HistoryJob() {}

    /** The decrypted rows, not yet written (the plan only: nothing runs until an action). */
    static Dataset<Row> plan(SparkSession spark, Options o, Map<String, List<SessionKeys.Read>> keysBySession,
                             SealedKeys seal) {
        // A session's keys travel as a row of the events' own shape (KeyBySession#keysRow) in the same shuffle.
        List<Row> sealed = new ArrayList<>(keysBySession.size());
        keysBySession.forEach((session, keys) -> {
            byte[] plain = SessionKeys.serialise(keys);
            try {
                sealed.add(KeyBySession.keysRow(session, seal.seal(session, plain)));
            } finally {
                java.util.Arrays.fill(plain, (byte) 0);
            }
        });
        Dataset<Row> keys = spark.createDataFrame(sealed, KeyBySession.OUT);
        Dataset<Row> input = o.inFormat().read(spark, o.in())
                .withColumn("ordinal", functions.monotonically_increasing_id())
                .select("json", "event_id", "room_id", "ordinal");
        Dataset<Row> keyed = input.mapPartitions(new KeyBySession(o.maxEventBytes(), o.inFormat() == InputFormat.JSONL),
                Encoders.row(KeyBySession.OUT));
        return keyed.union(keys)
                .repartition(functions.col("join_key"))
                .sortWithinPartitions("join_key", "message_index", "ordinal")
                .mapPartitions(new DecryptSessions(seal, o.batchSize(), o.maxEventBytes()),
                        Encoders.row(DecryptSessions.OUT));
    }

    static Result run(SparkSession spark, Options o, Map<String, List<SessionKeys.Read>> keysBySession) {
        Dataset<Row> decrypted = plan(spark, o, keysBySession, SealedKeys.generate());
        Dataset<Row> written;
        if (o.outFormat().equals("parquet")) {
            decrypted.write().mode(SaveMode.ErrorIfExists).parquet(o.out());
            written = spark.read().parquet(o.out()).select("status");
        } else {
            decrypted.select("json").write().mode(SaveMode.ErrorIfExists).text(o.out());
            written = spark.read().text(o.out())
                    .select(functions.get_json_object(functions.col("value"), "$.decryption.status").as("status"));
        }
        Map<String, Long> byStatus = new TreeMap<>();
        long output = 0;
        for (Row r : written.groupBy("status").count().collectAsList()) {
            byStatus.put(r.isNullAt(0) ? "(none)" : r.getString(0), r.getLong(1));
            output += r.getLong(1);
        }
        long input = o.inFormat().count(spark, o.in());
        return new Result(input, output, byStatus);
    }
}
