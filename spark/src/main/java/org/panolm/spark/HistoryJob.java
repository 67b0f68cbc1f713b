package org.panolm.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The job: read → key by session → shuffle join with the sealed keys (sort-merge, never a broadcast) →
 * sort each partition by session and message index → decrypt → write; then count the output by status and
 * check that it has exactly as many rows as the input.
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

    static final StructType KEYS = new StructType()
            .add("session_id", DataTypes.StringType, false)
            .add("sealed", DataTypes.BinaryType, false);

    private HistoryJob() {}

    /** The decrypted rows, not yet written (the plan only: nothing runs until an action). */
    static Dataset<Row> plan(SparkSession spark, Options o, Map<String, List<SessionKeys.Read>> keysBySession,
                             SealedKeys seal) {
        List<Row> sealed = new ArrayList<>(keysBySession.size());
        keysBySession.forEach((session, keys) -> {
            byte[] plain = SessionKeys.serialise(keys);
            try {
                sealed.add(RowFactory.create(session, seal.seal(session, plain)));
            } finally {
                java.util.Arrays.fill(plain, (byte) 0);
            }
        });
        Dataset<Row> keys = spark.createDataFrame(sealed, KEYS);
        Dataset<Row> input = o.inFormat().read(spark, o.in())
                .withColumn("ordinal", functions.monotonically_increasing_id())
                .select("json", "event_id", "room_id", "ordinal");
        Dataset<Row> keyed = input.mapPartitions(new KeyBySession(o.maxEventBytes(), o.inFormat() == InputFormat.JSONL),
                Encoders.row(KeyBySession.OUT));
        Dataset<Row> joined = keyed.join(keys.hint("merge"), keyed.col("join_key").equalTo(keys.col("session_id")),
                        "left_outer")
                .select(keyed.col("ordinal"), keyed.col("join_key"), keyed.col("message_index"), keyed.col("json"),
                        keyed.col("event_id"), keyed.col("room_id"), keys.col("sealed"));
        return joined.sortWithinPartitions("join_key", "message_index", "ordinal")
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
