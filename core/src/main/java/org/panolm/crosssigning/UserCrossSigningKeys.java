package org.panolm.crosssigning;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.jspecify.annotations.Nullable;
import org.panolm.PanolmException;
import org.panolm.Status;

/**
 * One user's public cross-signing keys as {@code /keys/query} returns them: the master key, the self-signing
 * key, and (for our own user only) the user-signing key. Construction checks that all belong to one user;
 * signatures are checked by {@link CrossSigningChains}.
 *
 * @param master the master key
 * @param selfSigning the self-signing key, or null
 * @param userSigning the user-signing key, or null (always for other users)
 */
public record UserCrossSigningKeys(CrossSigningKey master, @Nullable CrossSigningKey selfSigning, @Nullable CrossSigningKey userSigning) {

    /** Checks that there is a master key and that every key belongs to its user. */
    public UserCrossSigningKeys {
        if (master == null) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "a cross-signing identity needs a master key");
        }
        for (CrossSigningKey k : new CrossSigningKey[] {selfSigning, userSigning}) {
            if (k != null && !k.userId().equals(master.userId())) {
                throw new PanolmException(Status.BAD_MESSAGE_FORMAT, "the " + k.usage().wireName() + " key belongs to "
                        + k.userId() + ", the master key to " + master.userId());
            }
        }
    }

    /**
     * The user the keys belong to.
     *
     * @return the user id
     */
    public String userId() {
        return master.userId();
    }

    /**
     * The self-signing key, if the server listed one.
     *
     * @return the key, or empty
     */
    public Optional<CrossSigningKey> selfSigningKey() {
        return Optional.ofNullable(selfSigning);
    }

    /**
     * The user-signing key, if the server listed one (only for our own user).
     *
     * @return the key, or empty
     */
    public Optional<CrossSigningKey> userSigningKey() {
        return Optional.ofNullable(userSigning);
    }

    /**
     * Reads {@code userId}'s keys from a {@code /keys/query} response ({@code master_keys},
     * {@code self_signing_keys}, {@code user_signing_keys}). Empty when the user has no master key.
     *
     * @param response the {@code /keys/query} response as JSON text
     * @param userId the user
     * @return the user's keys, or empty
     * @throws PanolmException {@code BAD_MESSAGE_FORMAT} when a listed key is malformed or names another user
     */
    public static Optional<UserCrossSigningKeys> fromKeysQuery(String response, String userId) {
        return fromKeysQuery(Json.parseObject(response, "/keys/query response"), userId);
    }

    static Optional<UserCrossSigningKeys> fromKeysQuery(JsonNode response, String userId) {
        JsonNode m = field(response, "master_keys", userId);
        if (m == null) {
            return Optional.empty();
        }
        CrossSigningKey master = checked(CrossSigningKey.fromTree(m, KeyUsage.MASTER), userId);
        JsonNode s = field(response, "self_signing_keys", userId);
        JsonNode u = field(response, "user_signing_keys", userId);
        return Optional.of(new UserCrossSigningKeys(master,
                s == null ? null : checked(CrossSigningKey.fromTree(s, KeyUsage.SELF_SIGNING), userId),
                u == null ? null : checked(CrossSigningKey.fromTree(u, KeyUsage.USER_SIGNING), userId)));
    }

    private static JsonNode field(JsonNode response, String section, String userId) {
        JsonNode sec = response.get(section);
        return sec == null ? null : sec.get(userId);
    }

    private static CrossSigningKey checked(CrossSigningKey k, String userId) {
        if (!k.userId().equals(userId)) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT, "the " + k.usage().wireName() + " key listed for "
                    + userId + " says it belongs to " + k.userId());
        }
        return k;
    }
}
