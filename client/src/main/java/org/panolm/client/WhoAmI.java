package org.panolm.client;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code GET /_matrix/client/v3/account/whoami}.
 *
 * @param userId the user the token belongs to
 * @param deviceId the device the token belongs to (absent for appservice users)
 * @param isGuest whether the user is a guest
 */
public record WhoAmI(@JsonProperty("user_id") String userId,
                     @JsonProperty("device_id") @Nullable String deviceId,
                     @JsonProperty("is_guest") boolean isGuest) {
}
