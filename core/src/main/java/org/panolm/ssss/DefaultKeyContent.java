package org.panolm.ssss;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The content of {@code m.secret_storage.default_key}: which key id single-key clients use.
 *
 * @param key the default key's id
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DefaultKeyContent(@JsonProperty("key") String key) {
    public static final String EVENT_TYPE = "m.secret_storage.default_key";
}
