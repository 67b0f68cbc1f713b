package org.panolm.export;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.jspecify.annotations.Nullable;
import org.panolm.megolm.ExportedSessionKey;

/**
 * One Megolm session as room-key export files, backups (their decrypted {@code session_data}) and
 * forwarding carry it: {@code ExportedSessionData} of the spec, docs/formats.md §2.1 and §6.3. In a backup the
 * room and session ids live outside the encrypted JSON, so they may be null here. Unknown fields are
 * ignored.
 * Holds a secret ({@code session_key}): {@link #toString()} hides it.
 *
 * @param algorithm {@code m.megolm.v1.aes-sha2}
 * @param roomId the room, or null (in a backup entry)
 * @param senderKey the Curve25519 key of the device that created the session
 * @param sessionId the session id, or null (in a backup entry)
 * @param sessionKey the session key in export format, base64 (a secret)
 * @param senderClaimedKeys the keys the sender claimed, by algorithm ({@code ed25519})
 * @param forwardingCurve25519KeyChain the Curve25519 keys of the devices that forwarded the key, oldest first
 * @param sharedHistory whether the key may be shared with users who join later (MSC3061)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExportedRoomKey(
        @JsonProperty("algorithm") String algorithm,
        @JsonProperty("room_id") @Nullable String roomId,
        @JsonProperty("sender_key") String senderKey,
        @JsonProperty("session_id") @Nullable String sessionId,
        @JsonProperty("session_key") String sessionKey,
        @JsonProperty("sender_claimed_keys") Map<String, String> senderClaimedKeys,
        @JsonProperty("forwarding_curve25519_key_chain") List<String> forwardingCurve25519KeyChain,
        // rust-sdk writes m.shared_history, older code the MSC3061 name; the spec's name is written.
        @JsonProperty("shared_history") @JsonAlias({"m.shared_history", "org.matrix.msc3061.shared_history"})
        Boolean sharedHistory) {

    public static final String MEGOLM_V1 = "m.megolm.v1.aes-sha2";

    /** Copies the map and the list; missing ones are empty. */
    public ExportedRoomKey {
        senderClaimedKeys = senderClaimedKeys == null ? Map.of() : Map.copyOf(senderClaimedKeys);
        forwardingCurve25519KeyChain = forwardingCurve25519KeyChain == null ? List.of()
                : List.copyOf(forwardingCurve25519KeyChain);
    }

    /**
     * The session key, decoded and checked (export format, version 1).
     *
     * @return the session key
     */
    public ExportedSessionKey exportedSessionKey() {
        return ExportedSessionKey.fromBase64(sessionKey);
    }

    /**
     * This key filed under a room and session id (a backup entry carries them outside the key).
     *
     * @param room the room id
     * @param session the session id
     * @return the copy
     */
    public ExportedRoomKey withRoomAndSession(String room, String session) {
        return new ExportedRoomKey(algorithm, room, senderKey, session, sessionKey, senderClaimedKeys,
                forwardingCurve25519KeyChain, sharedHistory);
    }

    /**
     * The same metadata around another copy's {@code session_key} (merging two copies of one session).
     *
     * @param otherSessionKey the other copy's {@code session_key}
     * @return this key with that session key
     */
    public ExportedRoomKey withSessionKey(String otherSessionKey) {
        return new ExportedRoomKey(algorithm, roomId, senderKey, sessionId, otherSessionKey, senderClaimedKeys,
                forwardingCurve25519KeyChain, sharedHistory);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExportedRoomKey k && Objects.equals(algorithm, k.algorithm)
                && Objects.equals(roomId, k.roomId) && Objects.equals(senderKey, k.senderKey)
                && Objects.equals(sessionId, k.sessionId)
                && java.security.MessageDigest.isEqual(bytes(sessionKey), bytes(k.sessionKey))
                && senderClaimedKeys.equals(k.senderClaimedKeys)
                && forwardingCurve25519KeyChain.equals(k.forwardingCurve25519KeyChain)
                && Objects.equals(sharedHistory, k.sharedHistory);
    }

    @Override
    public int hashCode() {
        return Objects.hash(roomId, sessionId, senderKey);
    }

    @Override
    public String toString() {
        return "ExportedRoomKey[room=" + roomId + ", session=" + sessionId + ", sender_key=" + senderKey + "]";
    }

    private static byte[] bytes(String s) {
        return s == null ? new byte[0] : s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
