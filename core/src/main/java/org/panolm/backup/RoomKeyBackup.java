package org.panolm.backup;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The sessions of one room in a backup: {@code {"sessions": {"<session id>": KeyBackupData}}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RoomKeyBackup(@JsonProperty("sessions") Map<String, KeyBackupData> sessions) {
    public RoomKeyBackup {
        sessions = sessions == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sessions));
    }
}
