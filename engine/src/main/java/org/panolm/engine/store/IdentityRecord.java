package org.panolm.engine.store;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A user's cross-signing keys as the last {@code /keys/query} showed them (JSON objects, or null when absent).
 *
 * @param userId the user
 * @param masterKey the master key object
 * @param selfSigningKey the self-signing key object
 * @param userSigningKey the user-signing key object (only for our own user)
 * @param masterKeyVerified whether we verified this master key (by SAS, QR, or because it is our own and trusted)
 */
public record IdentityRecord(String userId, @Nullable String masterKey, @Nullable String selfSigningKey,
                             @Nullable String userSigningKey,
                             boolean masterKeyVerified) {
    /** Checks the user is given. */
    public IdentityRecord {
        Objects.requireNonNull(userId, "userId");
    }
}
