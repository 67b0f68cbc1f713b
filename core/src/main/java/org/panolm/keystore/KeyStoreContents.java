package org.panolm.keystore;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.panolm.export.ExportedRoomKey;

/** The JSON inside a sealed key store file (see {@link KeyStore} for the envelope). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
record KeyStoreContents(
        @JsonProperty("backup_version") String backupVersion,
        @JsonProperty("sessions") List<Session> sessions,
        @JsonProperty("account") Map<String, String> account) {

    /** One session and, when it is in the current backup version, the copy that was uploaded. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Session(
            @JsonProperty("key") ExportedRoomKey key,
            @JsonProperty("first_known_index") long firstKnownIndex,
            @JsonProperty("verified") boolean verified,
            @JsonProperty("forwarded_count") long forwardedCount,
            @JsonProperty("backed_up") Uploaded backedUp) {
    }

    /** The merge-rule facts of the copy a backup version holds. */
    record Uploaded(
            @JsonProperty("first_known_index") long firstKnownIndex,
            @JsonProperty("verified") boolean verified,
            @JsonProperty("forwarded_count") long forwardedCount) {

        static Uploaded of(RoomKeyRecord r) {
            return new Uploaded(r.firstKnownIndex(), r.verified(), r.forwardedCount());
        }

        /** True when {@code r} is strictly better than what was uploaded. */
        boolean worseThan(RoomKeyRecord r) {
            return MergeRule.compare(r.firstKnownIndex(), r.verified(), r.forwardedCount(),
                    firstKnownIndex, verified, forwardedCount) < 0;
        }
    }
}
