package org.panolm.spark;

import java.util.Iterator;

import com.fasterxml.jackson.core.JsonProcessingException;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import org.panolm.cli.Json;
import org.panolm.cli.io.EventParser;
import org.panolm.cli.io.JsonLimits;

/**
 * The map side of the job: each input row gets the key it is shuffled by and its sort position. An
 * encrypted event's key is its Megolm session id (so every event of a session meets that session's keys in
 * one task) and its position the message index from the ciphertext header; any other row gets a key of its
 * own that no session id can equal (a NUL, then its input position), which spreads those rows evenly.
 * A Synapse {@code event_json} row gets its {@code event_id} and {@code room_id} columns put into the event
 * when the event lacks them (newer room versions leave the event id out of the stored JSON).
 */
final class KeyBySession implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    /** In: the event text, the Synapse id columns (null elsewhere), the input position. */
    static final StructType IN = new StructType()
            .add("json", DataTypes.StringType, true)
            .add("event_id", DataTypes.StringType, true)
            .add("room_id", DataTypes.StringType, true)
            .add("ordinal", DataTypes.LongType, false);

    static final StructType OUT = new StructType()
            .add("ordinal", DataTypes.LongType, false)
            .add("join_key", DataTypes.StringType, false)
            .add("message_index", DataTypes.LongType, false)
            .add("json", DataTypes.StringType, false);

    private final int maxEventBytes;

    KeyBySession(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
    }

    static String ownKey(long ordinal) {
        return "\u0000" + ordinal;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        JsonLimits limits = new JsonLimits(maxEventBytes, JsonLimits.DEFAULT_MAX_DEPTH);
        EventParser parser = new EventParser(limits);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                Row r = rows.next();
                String json = r.isNullAt(0) ? "" : r.getString(0);
                long ordinal = r.getLong(3);
                String eventId = r.isNullAt(1) ? null : r.getString(1);
                String roomId = r.isNullAt(2) ? null : r.getString(2);
                EventKind kind = EventKind.read(parser, limits, json);
                if (kind.isEvent() && (eventId != null && !kind.event().has("event_id")
                        || roomId != null && !kind.event().has("room_id"))) {
                    if (eventId != null && !kind.event().has("event_id")) kind.event().put("event_id", eventId);
                    if (roomId != null && !kind.event().has("room_id")) kind.event().put("room_id", roomId);
                    try {
                        json = Json.MAPPER.writeValueAsString(kind.event());
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("a parsed event cannot be written again", e);
                    }
                }
                String session = kind.isEncrypted() ? kind.sessionId() : null;
                return RowFactory.create(ordinal, session != null ? session : ownKey(ordinal),
                        session != null ? kind.messageIndex() : -1L, json);
            }
        };
    }
}
