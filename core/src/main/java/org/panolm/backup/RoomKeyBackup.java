package org.panolm.backup;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The sessions of one room in a backup: {@code {"sessions": {"<session id>": KeyBackupData}}}.
 *
 * @param sessions the backed-up sessions, by session id
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RoomKeyBackup(@JsonProperty("sessions") Map<String, KeyBackupData> sessions) {
    /** Copies the map, keeping its order; a missing map is empty. */
    public RoomKeyBackup {
        sessions = sessions == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sessions));
    }
}
