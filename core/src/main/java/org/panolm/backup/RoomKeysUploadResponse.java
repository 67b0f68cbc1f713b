package org.panolm.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The response to a {@code PUT} or {@code DELETE} on {@code /room_keys/keys}: the new etag and key count. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RoomKeysUploadResponse(@JsonProperty("etag") String etag, @JsonProperty("count") long count) {
}
