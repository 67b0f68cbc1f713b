package org.panolm.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import org.panolm.Status;
import org.panolm.cli.history.HistoryWriter;
import org.panolm.cli.history.MegolmHistory;
import org.panolm.cli.history.Outcome;
import org.panolm.cli.io.EventParser;
import org.panolm.cli.io.JsonLimits;
import org.panolm.cli.keys.KeyRing;

/**
 * The reduce side of the job, one task per partition: rows arrive sorted by session and message index, a
 * session's sealed keys (if any were given) in a row of their own ahead of its events. They are unsealed into
 * the task's key ring when that row arrives; rows are decrypted in batches by panolm's batch engine on one
 * native thread (Spark runs one task per core), a batch never ending inside a run of one message index so
 * that a replayed index is always judged within one batch. Each event is parsed here, once, and its line is
 * written by the CLI's own {@link HistoryWriter}. Every event in gives exactly one row out. The key ring (and
 * so every session) and the line buffer are wiped when the task ends, whether it succeeds or fails.
 */
final class DecryptSessions implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    static final StructType OUT = new StructType()
            .add("ordinal", DataTypes.LongType, false)
            .add("event_id", DataTypes.StringType, true)
            .add("room_id", DataTypes.StringType, true)
            .add("sender", DataTypes.StringType, true)
            .add("origin_server_ts", DataTypes.LongType, true)
            .add("type", DataTypes.StringType, true)
            .add("status", DataTypes.StringType, false)
            .add("json", DataTypes.StringType, false);

    private final SealedKeys seal;
    private final int batchSize;
    private final int maxEventBytes;

    DecryptSessions(SealedKeys seal, int batchSize, int maxEventBytes) {
        this.seal = seal;
        this.batchSize = batchSize;
        this.maxEventBytes = maxEventBytes;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        KeyRing keys = new KeyRing();
        MegolmHistory.Decryptor decryptor = MegolmHistory.decryptor(keys, 1, batchSize);
        Lines lines = new Lines();
        Runnable close = () -> {
            decryptor.close();
            keys.close();
            lines.wipe();
        };
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> close.run());
        }
        return new Batches(rows, keys, decryptor, lines, task == null ? close : null);
    }

    /** Reads a batch, decrypts it, hands its rows out, and so on. */
    private final class Batches implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final KeyRing keys;
        private final MegolmHistory.Decryptor decryptor;
        private final Lines lines;
        private final Runnable closeAtEnd;
        private final JsonLimits limits = new JsonLimits(maxEventBytes, JsonLimits.DEFAULT_MAX_DEPTH);
        private final EventParser parser = new EventParser(limits);
        private final List<Row> out = new ArrayList<>();
        private int next;
        private Row pending;

        Batches(Iterator<Row> rows, KeyRing keys, MegolmHistory.Decryptor decryptor, Lines lines,
                Runnable closeAtEnd) {
            this.rows = rows;
            this.keys = keys;
            this.decryptor = decryptor;
            this.lines = lines;
            this.closeAtEnd = closeAtEnd;
        }

        @Override
        public boolean hasNext() {
            if (next < out.size()) {
                return true;
            }
            out.clear();
            next = 0;
            fill();
            if (out.isEmpty() && closeAtEnd != null) {
                closeAtEnd.run();
            }
            return !out.isEmpty();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return out.get(next++);
        }

        private void fill() {
            List<Row> batch = new ArrayList<>();
            while (pending != null || rows.hasNext()) {
                Row r = pending != null ? pending : rows.next();
                pending = null;
                if (KeyBySession.isKeysRow(r)) {
                    // Ahead of its session's events; a session with no events here has keys and no rows.
                    SessionKeys.addTo(keys, seal, r.getString(1), (byte[]) r.get(3));
                    continue;
                }
                if (batch.size() >= batchSize && !sameIndex(batch.get(batch.size() - 1), r)) {
                    pending = r;
                    break;
                }
                batch.add(r);
            }
            if (batch.isEmpty()) {
                return;
            }
            List<EventKind> kinds = new ArrayList<>(batch.size());
            List<ObjectNode> encrypted = new ArrayList<>();
            for (Row r : batch) {
                String session = r.getString(1);
                // The one parse of the event, strict, with the CLI's parser and limits.
                EventKind k = EventKind.read(parser, limits, (byte[]) r.get(3));
                k.addIds(r.isNullAt(4) ? null : r.getString(4), r.isNullAt(5) ? null : r.getString(5));
                kinds.add(k);
                if (k.isEncrypted()) {
                    if (k.sessionId() != null && !k.sessionId().equals(session)) {
                        // The map side's scan routed it elsewhere: it would be judged without its keys.
                        throw new IllegalStateException("an encrypted event was keyed by another session");
                    }
                    encrypted.add(k.event());
                }
            }
            List<Outcome> results = new ArrayList<>(encrypted.size());
            if (!encrypted.isEmpty()) {
                decryptor.decrypt(encrypted, results);
                if (results.size() != encrypted.size()) {
                    throw new IllegalStateException("the decryptor returned " + results.size() + " results for "
                            + encrypted.size() + " events");
                }
            }
            int e = 0;
            for (int i = 0; i < batch.size(); i++) {
                EventKind k = kinds.get(i);
                Outcome outcome = !k.isEvent() ? new Outcome.Failed(Status.BAD_EVENT.name(), k.problem())
                        : k.isEncrypted() ? results.get(e++) : Outcome.NOT_ENCRYPTED;
                out.add(row(batch.get(i).getLong(0), k.event(), outcome, lines.of(k.event(), outcome)));
            }
        }
    }

    private static boolean sameIndex(Row a, Row b) {
        return a.getLong(2) >= 0 && a.getLong(2) == b.getLong(2) && Objects.equals(a.getString(1), b.getString(1));
    }

    /**
     * An output row: the CLI's line and, as columns, what it says of the event.
     *
     * @param event the input event, or null for an item that is no event
     */
    static Row row(long ordinal, ObjectNode event, Outcome outcome, String line) {
        JsonNode ts = event == null ? null : event.get("origin_server_ts");
        JsonNode eventType = event == null ? null : event.get("type");
        String type = outcome instanceof Outcome.Decrypted d ? d.plaintext().type()
                : eventType != null && eventType.isTextual() ? eventType.textValue() : null;
        return RowFactory.create(ordinal, text(event, "event_id"), text(event, "room_id"), text(event, "sender"),
                ts != null && ts.isIntegralNumber() && ts.canConvertToLong() ? ts.longValue() : null,
                type, HistoryWriter.status(outcome), line);
    }

    /** One line at a time from the CLI's {@link HistoryWriter}, into a reused buffer. */
    static final class Lines {
        private final Buffer buffer = new Buffer();
        private final HistoryWriter writer;

        Lines() {
            try {
                writer = new HistoryWriter(buffer);
            } catch (IOException e) {
                throw new UncheckedIOException("a generator over memory cannot fail", e);
            }
        }

        /** @return the line, without its newline */
        String of(ObjectNode event, Outcome outcome) {
            buffer.reset();
            try {
                writer.write(event, outcome);
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("memory cannot fail to be written", e);
            }
            return buffer.line();
        }

        /** Plaintexts pass through the buffer: wiped when the task ends. */
        void wipe() {
            buffer.wipe();
        }
    }

    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(1024);
        }

        String line() {
            return new String(buf, 0, count - 1, StandardCharsets.UTF_8);
        }

        void wipe() {
            Arrays.fill(buf, (byte) 0);
        }
    }

    private static String text(JsonNode event, String field) {
        JsonNode v = event == null ? null : event.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
