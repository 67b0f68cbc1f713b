package org.panolm.client;

import java.util.Objects;

/**
 * What a login or registration gives: the user, the device created for this login and its access token.
 * {@link #toString()} leaves the token out.
 *
 * @param userId the full user id, {@code @user:server}
 * @param deviceId the device id of this login
 * @param accessToken the device's access token
 */
public record Credentials(String userId, String deviceId, AccessToken accessToken) {
    /** Checks that no part is missing. */
    public Credentials {
        Objects.requireNonNull(userId, "user_id");
        Objects.requireNonNull(deviceId, "device_id");
        Objects.requireNonNull(accessToken, "access_token");
    }

    @Override
    public String toString() {
        return "Credentials[userId=" + userId + ", deviceId=" + deviceId + ", accessToken=redacted]";
    }
}
