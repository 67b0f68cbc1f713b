package org.panolm.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;

import org.jspecify.annotations.Nullable;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.export.InvalidRoomKeyException;

/**
 * The body of {@code PUT /room_keys/keys?version=V} and of the response to {@code GET /room_keys/keys}:
 * {@code {"rooms": {"<room id>": {"sessions": {...}}}}}.
 *
 * <p>A body read from the server ({@link #fromJson}) may hold entries that do not fit the schema (a number
 * where an object belongs, a string index): each becomes one {@link #malformed()} entry naming its room,
 * session and field, and the rest of the body is kept, so one bad entry never costs a whole restore.
 *
 * @param rooms the sessions by room id, then session id
 * @param malformed the entries of a body read from the server that did not fit the schema; never written
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RoomKeysBody(@JsonProperty("rooms") Map<String, RoomKeyBackup> rooms,
                           @JsonIgnore List<InvalidRoomKeyException> malformed) {
    /** The spec's limit on identifiers, and the longest room id a session can be bound to. */
    static final int MAX_ROOM_ID_BYTES = 255;

    /** Copies both collections; null reads as empty. */
    public RoomKeysBody {
        rooms = rooms == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(rooms));
        malformed = malformed == null ? List.of() : List.copyOf(malformed);
    }

    /**
     * A body without malformed entries (one to upload, or one built by hand).
     *
     * @param rooms the sessions by room id, then session id
     */
    public RoomKeysBody(Map<String, RoomKeyBackup> rooms) {
        this(rooms, List.of());
    }

    /**
     * Number of sessions in all rooms.
     *
     * @return the well-formed entries (see {@link #malformed()} for the others)
     */
    public int sessionCount() {
        int n = 0;
        for (RoomKeyBackup room : rooms.values()) n += room == null ? 0 : room.sessions().size();
        return n;
    }

    /**
     * Parses a body leniently: only a body that is not JSON, or whose top level or {@code rooms} is not an
     * object, fails as a whole ({@code BAD_EVENT}); any entry below that which does not fit is reported in
     * {@link #malformed()}. Error texts name rooms, sessions and fields, never values.
     *
     * @param json the body as UTF-8 JSON
     * @return the body, with its malformed entries set apart
     */
    public static RoomKeysBody fromJson(byte[] json) {
        JsonNode root;
        try {
            root = BackupJson.MAPPER.readTree(json);
        } catch (IOException e) {
            // No cause: Jackson's messages quote the input.
            throw new PanolmException(Status.BAD_EVENT, "/room_keys/keys body is not valid JSON ("
                    + BackupJson.describe(e) + ")");
        }
        if (root == null || !root.isObject()) {
            throw new PanolmException(Status.BAD_EVENT, "/room_keys/keys body is not a JSON object");
        }
        JsonNode roomsNode = root.get("rooms");
        if (roomsNode == null || roomsNode.isNull()) {
            return new RoomKeysBody(Map.of());
        }
        if (!roomsNode.isObject()) {
            throw new PanolmException(Status.BAD_EVENT, "/room_keys/keys body: rooms is not an object");
        }
        Map<String, RoomKeyBackup> rooms = new LinkedHashMap<>();
        List<InvalidRoomKeyException> malformed = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = roomsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> room = it.next();
            String roomId = room.getKey();
            JsonNode value = room.getValue();
            if (value.isNull()) {
                rooms.put(roomId, null); // "room": null holds no sessions
                continue;
            }
            JsonNode sessions = value.isObject() ? value.get("sessions") : null;
            if (!value.isObject() || (sessions != null && !sessions.isNull() && !sessions.isObject())) {
                malformed.add(new InvalidRoomKeyException(Status.BAD_EVENT, roomId, null,
                        value.isObject() ? "sessions" : null, value.isObject() ? "is not an object"
                                : "the room's entry is not an object"));
                continue;
            }
            Map<String, KeyBackupData> entries = new LinkedHashMap<>();
            if (sessions != null) {
                for (Iterator<Map.Entry<String, JsonNode>> s = sessions.fields(); s.hasNext(); ) {
                    Map.Entry<String, JsonNode> session = s.next();
                    try {
                        entries.put(session.getKey(), entry(roomId, session.getKey(), session.getValue()));
                    } catch (InvalidRoomKeyException e) {
                        malformed.add(e);
                    }
                }
            }
            rooms.put(roomId, new RoomKeyBackup(entries));
        }
        return new RoomKeysBody(rooms, malformed);
    }

    /** One session's entry as the schema has it, or null for JSON null; anything else is malformed. */
    static KeyBackupData entry(String roomId, String sessionId, JsonNode value) {
        if (value.isNull()) {
            return null; // reported when restored: "the entry is null"
        }
        if (!value.isObject()) {
            throw new InvalidRoomKeyException(Status.BAD_EVENT, roomId, sessionId, null, "the entry is not an object");
        }
        KeyBackupData plain = plainEntry(value);
        if (plain != null) {
            return plain;
        }
        try {
            return BackupJson.MAPPER.treeToValue(value, KeyBackupData.class);
        } catch (DatabindException e) {
            throw new InvalidRoomKeyException(Status.BAD_EVENT, roomId, sessionId, path(e), "has the wrong type");
        } catch (IOException e) {
            throw new InvalidRoomKeyException(Status.BAD_EVENT, roomId, sessionId, null, "is not a key backup entry");
        }
    }

    /**
     * The entry read directly when every field has exactly its schema's type (or is absent), as nearly all
     * do; otherwise null, and data binding reads it, with its coercions and its errors. The result is the one
     * data binding would give: absent numbers are 0, absent strings null, unknown fields ignored.
     */
    private static KeyBackupData plainEntry(JsonNode value) {
        JsonNode first = value.get("first_message_index");
        JsonNode forwarded = value.get("forwarded_count");
        JsonNode verified = value.get("is_verified");
        JsonNode data = value.get("session_data");
        if (!isLong(first) || !isLong(forwarded) || verified != null && !verified.isBoolean()
                || data != null && !data.isObject()) {
            return null;
        }
        SessionData sessionData = null;
        if (data != null) {
            JsonNode ephemeral = data.get("ephemeral");
            JsonNode ciphertext = data.get("ciphertext");
            JsonNode mac = data.get("mac");
            if (!isText(ephemeral) || !isText(ciphertext) || !isText(mac)) {
                return null;
            }
            sessionData = new SessionData(text(ephemeral), text(ciphertext), text(mac));
        }
        return new KeyBackupData(first == null ? 0 : first.longValue(), forwarded == null ? 0 : forwarded.longValue(),
                verified != null && verified.booleanValue(), sessionData);
    }

    private static boolean isLong(JsonNode n) {
        return n == null || n.isIntegralNumber() && n.canConvertToLong();
    }

    private static boolean isText(JsonNode n) {
        return n == null || n.isTextual();
    }

    private static String text(JsonNode n) {
        return n == null ? null : n.textValue();
    }

    /** The dotted field path of a mapping error, without the value that caused it. */
    private static String path(DatabindException e) {
        StringBuilder s = new StringBuilder();
        if (e instanceof JsonMappingException m) {
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) s.append(s.isEmpty() ? "" : ".").append(r.getFieldName());
            }
        }
        return s.isEmpty() ? null : s.toString();
    }

    /** Why a room id cannot name a session's room, or null when it can. */
    static @Nullable String roomIdProblem(String roomId) {
        if (roomId == null || roomId.isEmpty()) return "is empty";
        int bytes = roomId.getBytes(StandardCharsets.UTF_8).length;
        return bytes > MAX_ROOM_ID_BYTES ? "is " + bytes + " bytes long, over the limit of " + MAX_ROOM_ID_BYTES : null;
    }

    /**
     * The body as JSON.
     *
     * @return the JSON, UTF-8
     */
    public byte[] toJson() {
        try {
            return BackupJson.MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
