package org.panolm.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.panolm.PanolmException;
import org.panolm.Status;

/**
 * The body of {@code PUT /room_keys/keys?version=V} and of the response to {@code GET /room_keys/keys}:
 * {@code {"rooms": {"<room id>": {"sessions": {...}}}}}.
 *
 * @param rooms the rooms' sessions, by room id
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RoomKeysBody(@JsonProperty("rooms") Map<String, RoomKeyBackup> rooms) {
    /** Copies the map, keeping its order; a missing map is empty. */
    public RoomKeysBody {
        rooms = rooms == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(rooms));
    }

    /**
     * Number of sessions in all rooms.
     *
     * @return the number of sessions
     */
    public int sessionCount() {
        int n = 0;
        for (RoomKeyBackup room : rooms.values()) n += room == null ? 0 : room.sessions().size();
        return n;
    }

    /**
     * Parses a body.
     *
     * @param json the JSON
     * @return the body
     */
    public static RoomKeysBody fromJson(byte[] json) {
        try {
            return BackupJson.MAPPER.readValue(json, RoomKeysBody.class);
        } catch (IOException e) {
            // No cause: Jackson's messages quote the input.
            throw new PanolmException(Status.BAD_EVENT, "/room_keys/keys body is not valid JSON of the expected shape ("
                    + BackupJson.describe(e) + ")");
        }
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
