package org.panolm.keystore;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.panolm.export.ExportedRoomKey;
import org.panolm.megolm.KeyProvenance;

/** The JSON inside a sealed key store file (see {@link KeyStore} for the envelope). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
record KeyStoreContents(
        @JsonProperty("backup_version") String backupVersion,
        @JsonProperty("sessions") List<Session> sessions,
        @JsonProperty("account") Map<String, String> account) {

    /**
     * One session: its best copy, the copies that conflict with it (ratchets that do not connect), and, when
     * it is in the current backup version, the facts of the copy that was uploaded.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Session(
            @JsonProperty("key") ExportedRoomKey key,
            @JsonProperty("first_known_index") long firstKnownIndex,
            // Absent in files written before provenance was recorded: read as unknown (unauthenticated).
            @JsonProperty("provenance") KeyProvenance provenance,
            @JsonProperty("forwarded_count") long forwardedCount,
            @JsonProperty("backed_up") Uploaded backedUp,
            @JsonProperty("conflicting_copies") List<Copy> conflictingCopies) {

        static Session of(SessionCopies copies, Uploaded backedUp) {
            RoomKeyRecord best = copies.best();
            List<Copy> others = copies.all().stream().skip(1).map(Copy::of).toList();
            return new Session(best.key(), best.firstKnownIndex(), best.provenance(), best.forwardedCount(), backedUp,
                    others.isEmpty() ? null : others);
        }

        SessionCopies copies() {
            RoomKeyRecord best = new Copy(key, firstKnownIndex, provenance, forwardedCount).record();
            if (conflictingCopies == null || conflictingCopies.isEmpty()) {
                return SessionCopies.of(best);
            }
            List<RoomKeyRecord> all = new java.util.ArrayList<>();
            all.add(best);
            for (Copy c : conflictingCopies) all.add(c.record());
            return SessionCopies.of(all);
        }
    }

    /** Another copy of a session. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Copy(
            @JsonProperty("key") ExportedRoomKey key,
            @JsonProperty("first_known_index") long firstKnownIndex,
            @JsonProperty("provenance") KeyProvenance provenance,
            @JsonProperty("forwarded_count") long forwardedCount) {

        static Copy of(RoomKeyRecord r) {
            return new Copy(r.key(), r.firstKnownIndex(), r.provenance(), r.forwardedCount());
        }

        RoomKeyRecord record() {
            return new RoomKeyRecord(key, firstKnownIndex, provenance == null ? KeyProvenance.UNKNOWN : provenance,
                    forwardedCount);
        }
    }

    /** The merge-rule facts of the copy a backup version holds. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Uploaded(
            @JsonProperty("first_known_index") long firstKnownIndex,
            @JsonProperty("authenticated") @JsonAlias("verified") boolean authenticated,
            @JsonProperty("sender_verified") boolean senderVerified,
            @JsonProperty("forwarded_count") long forwardedCount) {

        static Uploaded of(RoomKeyRecord r) {
            return new Uploaded(r.firstKnownIndex(), r.authenticated(), r.provenance().senderVerified(),
                    r.forwardedCount());
        }

        /** True when {@code r} is strictly better than what was uploaded. */
        boolean worseThan(RoomKeyRecord r) {
            return MergeRule.compare(MergeRule.rank(r), r.firstKnownIndex(), r.forwardedCount(),
                    MergeRule.rank(authenticated, senderVerified), firstKnownIndex, forwardedCount) < 0;
        }
    }
}
