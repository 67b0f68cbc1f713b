package org.panolm.backup;

import java.io.CharConversionException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.export.InvalidRoomKeyException;
import org.panolm.keystore.SessionFilter;
import org.panolm.keystore.SessionRef;

/**
 * Reads a {@code /room_keys/keys} body one session entry at a time, with the leniency of
 * {@link RoomKeysBody#fromJson}: only a body that is not JSON, or whose top level or {@code rooms} is not an
 * object, fails as a whole; an entry below that which does not fit the schema is handed on as a malformed
 * entry naming its room, session and field, and reading goes on. Only one entry's tree is ever built, so
 * memory does not grow with the body (the parser's duplicate check remembers the names of the object it is
 * in: one room's session ids). Entries the filter does not select are skipped unparsed.
 */
final class RoomKeysStream implements Closeable {
    /** Where the parser is: which object's members come next. */
    private enum State { START, ROOT, ROOMS, ROOM, SESSIONS, DONE }

    private final JsonParser p;
    private final SessionFilter filter;
    private State state = State.START;
    private String roomId;

    RoomKeysStream(InputStream body, SessionFilter filter) throws IOException {
        this.p = BackupJson.MAPPER.createParser(body);
        p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE); // the caller's stream
        this.filter = filter;
    }

    /**
     * The next selected entry in body order, or null after the body's top-level object.
     *
     * @throws PanolmException {@code BAD_EVENT} when the body turns out not to be JSON of the right shape
     * @throws IOException when the stream cannot be read
     */
    BackupBatch.Entry next() throws IOException {
        try {
            return advance();
        } catch (CharConversionException e) {
            throw new PanolmException(Status.BAD_EVENT, "/room_keys/keys body is not valid JSON (not UTF-8 text)");
        } catch (JsonProcessingException e) {
            // No cause: Jackson's messages quote the input.
            throw new PanolmException(Status.BAD_EVENT, "/room_keys/keys body is not valid JSON ("
                    + BackupJson.describe(e) + ")");
        }
    }

    private BackupBatch.Entry advance() throws IOException {
        while (true) {
            switch (state) {
                case START -> {
                    if (p.nextToken() != JsonToken.START_OBJECT) {
                        throw new PanolmException(Status.BAD_EVENT, "/room_keys/keys body is not a JSON object");
                    }
                    state = State.ROOT;
                }
                case ROOT -> {
                    if (p.nextToken() != JsonToken.FIELD_NAME) {
                        state = State.DONE; // the end of the body's object; anything after it is not read
                        continue;
                    }
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (!"rooms".equals(name) || value == JsonToken.VALUE_NULL) {
                        p.skipChildren();
                    } else if (value == JsonToken.START_OBJECT) {
                        state = State.ROOMS;
                    } else {
                        throw new PanolmException(Status.BAD_EVENT, "/room_keys/keys body: rooms is not an object");
                    }
                }
                case ROOMS -> {
                    if (p.nextToken() != JsonToken.FIELD_NAME) {
                        state = State.ROOT;
                        continue;
                    }
                    roomId = p.currentName();
                    JsonToken value = p.nextToken();
                    if (value == JsonToken.START_OBJECT) {
                        state = State.ROOM;
                    } else if (value != JsonToken.VALUE_NULL) { // "room": null holds no sessions
                        p.skipChildren();
                        if (filter.accepts(roomId, "")) {
                            return malformed(new InvalidRoomKeyException(Status.BAD_EVENT, roomId, null, null,
                                    "the room's entry is not an object"));
                        }
                    }
                }
                case ROOM -> {
                    if (p.nextToken() != JsonToken.FIELD_NAME) {
                        state = State.ROOMS;
                        continue;
                    }
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if ("sessions".equals(name) && value == JsonToken.START_OBJECT) {
                        state = State.SESSIONS;
                        continue;
                    }
                    p.skipChildren();
                    if ("sessions".equals(name) && value != JsonToken.VALUE_NULL && filter.accepts(roomId, "")) {
                        return malformed(new InvalidRoomKeyException(Status.BAD_EVENT, roomId, null, "sessions",
                                "is not an object"));
                    }
                }
                case SESSIONS -> {
                    if (p.nextToken() != JsonToken.FIELD_NAME) {
                        state = State.ROOM;
                        continue;
                    }
                    String sessionId = p.currentName();
                    JsonToken value = p.nextToken();
                    if (!filter.accepts(roomId, sessionId)) {
                        p.skipChildren();
                        continue;
                    }
                    if (value == JsonToken.VALUE_NULL) {
                        // reported when decrypted: "the entry is null", as for a body read whole
                        return new BackupBatch.Entry(new SessionRef(roomId, sessionId), null, null);
                    }
                    JsonNode tree = p.readValueAsTree();
                    try {
                        return new BackupBatch.Entry(new SessionRef(roomId, sessionId),
                                RoomKeysBody.entry(roomId, sessionId, tree), null);
                    } catch (InvalidRoomKeyException e) {
                        return malformed(e);
                    }
                }
                case DONE -> {
                    return null;
                }
            }
        }
    }

    private static BackupBatch.Entry malformed(InvalidRoomKeyException e) {
        return new BackupBatch.Entry(null, null, e);
    }

    @Override
    public void close() throws IOException {
        p.close();
    }
}
