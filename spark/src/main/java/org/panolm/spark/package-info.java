/**
 * Room-history decryption as an Apache Spark job: {@link org.panolm.spark.SparkHistory} is the launcher
 * ({@code ./scripts/spark-history}, or the main class for {@code spark-submit}), {@link org.panolm.spark.HistoryJob}
 * the plan: events are keyed by Megolm session, joined with the sealed keys of their session (a shuffle
 * join, never a broadcast of every key), sorted by message index within each partition, and decrypted by
 * panolm's batch engine on the executors. Every input event becomes exactly one output row with the same
 * {@code decryption} object as {@code panolm history decrypt}.
 */
package org.panolm.spark;
