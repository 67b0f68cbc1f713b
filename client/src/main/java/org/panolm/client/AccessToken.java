package org.panolm.client;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A homeserver access token. It is a bearer secret: {@link #toString()} never shows it and the client only
 * ever puts it in an {@code Authorization} header, so no log record or error message can carry it. (A Java
 * {@code String} cannot be wiped; the token is revoked on the server by {@link HomeserverClient#logout()}.)
 */
public final class AccessToken {
    private final String value;

    private AccessToken(String value) {
        this.value = value;
    }

    /**
     * Wraps a token as the homeserver issued it.
     *
     * @param value the token text; not empty, no whitespace or control characters
     * @return the token
     */
    public static AccessToken of(String value) {
        Objects.requireNonNull(value, "access token");
        if (value.isEmpty() || value.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            // Header injection or a truncated token; the text itself is not repeated.
            throw new IllegalArgumentException("access token is empty or contains whitespace or control characters");
        }
        return new AccessToken(value);
    }

    /**
     * The {@code Authorization} header value: the one place the token text leaves this object.
     *
     * @return {@code Bearer <token>}
     */
    String bearerHeader() {
        return "Bearer " + value;
    }

    /**
     * The token text, for a caller that persists the session (in an encrypted store). Greppable on purpose.
     *
     * @return the token text
     */
    public String revealForStorage() {
        return value;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof AccessToken t && java.security.MessageDigest.isEqual(
                t.value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        // Constant: a hash of the secret could leak it through timing or a debugger's view of a map.
        return 0;
    }

    @Override
    public String toString() {
        return "AccessToken[redacted]";
    }
}
