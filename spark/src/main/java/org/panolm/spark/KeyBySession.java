package org.panolm.spark;

import java.io.IOException;
import java.nio.CharBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import org.panolm.cli.Json;
import org.panolm.cli.history.HistoryPipeline;
import org.panolm.cli.io.JsonLimits;

/**
 * The map side of the job: each input row gets the key it is shuffled by and its sort position. An
 * encrypted event's key is its Megolm session id (so every event of a session meets that session's keys in
 * one task) and its position the message index from the ciphertext header; any other row gets a key of its
 * own that no session id can equal (a NUL, then its input position), which spreads those rows evenly.
 *
 * <p>The key is found by a streaming scan of the event's top-level {@code type} and {@code content} fields,
 * without building a tree: the event is parsed once, strictly, on the reduce side ({@link DecryptSessions}),
 * which decides what the row is. The scan only routes, and agrees with that parse on every event the parse
 * accepts (one with a duplicate field, which the scan might read otherwise, is a {@code BAD_EVENT} wherever it
 * goes); the reduce side checks that an encrypted event came with its own session's keys.
 */
final class KeyBySession implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    /** In: the event's UTF-8 text, the Synapse id columns (null elsewhere), the input position. */
    static final StructType IN = new StructType()
            .add("json", DataTypes.BinaryType, true)
            .add("event_id", DataTypes.StringType, true)
            .add("room_id", DataTypes.StringType, true)
            .add("ordinal", DataTypes.LongType, false);

    static final StructType OUT = new StructType()
            .add("ordinal", DataTypes.LongType, false)
            .add("join_key", DataTypes.StringType, false)
            .add("message_index", DataTypes.LongType, false)
            .add("json", DataTypes.BinaryType, false)
            .add("event_id", DataTypes.StringType, true)
            .add("room_id", DataTypes.StringType, true);

    private final int maxEventBytes;
    private final boolean lines;

    /** @param lines the rows are JSON Lines lines: a trailing {@code \r} is dropped and blank lines skipped */
    KeyBySession(int maxEventBytes, boolean lines) {
        this.maxEventBytes = maxEventBytes;
        this.lines = lines;
    }

    /** A position no input row has: marks the row that carries a session's sealed keys. */
    static final long KEYS_ORDINAL = -1;
    /** Sorts before every event of the session (whose indexes are 0 and up, or -1 when unreadable). */
    private static final long KEYS_INDEX = -2;

    /** The row that takes a session's sealed keys to the task that decrypts its events, ahead of them. */
    static Row keysRow(String session, byte[] sealed) {
        return RowFactory.create(KEYS_ORDINAL, session, KEYS_INDEX, sealed, null, null);
    }

    static boolean isKeysRow(Row r) {
        return r.getLong(0) == KEYS_ORDINAL;
    }

    static String ownKey(long ordinal) {
        return "\u0000" + ordinal;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        JsonFactory json = scanner(maxEventBytes);
        return new Iterator<>() {
            private Row next;

            @Override
            public boolean hasNext() {
                while (next == null && rows.hasNext()) {
                    next = keyed(json, rows.next());
                }
                return next != null;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row r = next;
                next = null;
                return r;
            }
        };
    }

    /** @return the row keyed, or null for a blank line */
    private Row keyed(JsonFactory json, Row r) {
        byte[] bytes = r.isNullAt(0) ? new byte[0] : (byte[]) r.get(0);
        if (lines) {
            if (InputFormat.blankLine(bytes)) {
                return null;
            }
            bytes = InputFormat.withoutCr(bytes);
        }
        long ordinal = r.getLong(3);
        Route route = bytes.length > maxEventBytes ? null : route(json, bytes);
        return RowFactory.create(ordinal, route != null ? route.session : ownKey(ordinal),
                route != null ? route.index : -1L, bytes, r.isNullAt(1) ? null : r.getString(1),
                r.isNullAt(2) ? null : r.getString(2));
    }

    record Route(String session, long index) {}

    /** The CLI's JSON factory with the limits of the reduce side's parser, so that the scan reads what it reads. */
    static JsonFactory scanner(int maxEventBytes) {
        return Json.factory().rebuild()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(JsonLimits.DEFAULT_MAX_DEPTH + 1)
                        .maxStringLength(Math.max(maxEventBytes, 1 << 16))
                        .maxDocumentLength(maxEventBytes + 1L)
                        .build())
                .build();
    }

    /** @return the session of an encrypted event, or null for anything else (or anything unreadable) */
    static Route route(JsonFactory json, byte[] bytes) {
        try (JsonParser p = json.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Boolean encrypted = null;
            String session = null;
            long index = -1;
            boolean content = false;
            while (p.nextToken() == JsonToken.FIELD_NAME && (encrypted == null || !content)) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("type")) {
                    encrypted = value == JsonToken.VALUE_STRING && HistoryPipeline.ENCRYPTED_TYPE.equals(p.getText());
                } else if (name.equals("content") && value == JsonToken.START_OBJECT) {
                    content = true;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken v = p.nextToken();
                        if (field.equals("session_id") && v == JsonToken.VALUE_STRING) {
                            session = p.getText();
                        } else if (field.equals("ciphertext") && v == JsonToken.VALUE_STRING) {
                            // The index sits in the first characters: no String of the whole ciphertext.
                            index = CiphertextIndex.of(CharBuffer.wrap(p.getTextCharacters(), p.getTextOffset(),
                                    p.getTextLength()));
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            return Boolean.TRUE.equals(encrypted) && session != null && !session.isEmpty()
                    ? new Route(session, index) : null;
        } catch (IOException e) {
            return null; // not JSON: the reduce side's parse says why
        }
    }
}
