package org.panolm.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The response to a {@code PUT} or {@code DELETE} on {@code /room_keys/keys}: the new etag and key count.
 *
 * @param etag the new etag of the backup
 * @param count the number of keys now stored
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RoomKeysUploadResponse(@JsonProperty("etag") String etag, @JsonProperty("count") long count) {
}
