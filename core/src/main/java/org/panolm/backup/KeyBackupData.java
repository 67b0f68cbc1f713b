package org.panolm.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One stored session of a backup ({@code KeyBackupData}). The three numbers are cleartext metadata the
 * server uses for its conflict rule; they are unauthenticated, so a restore trusts the index inside the
 * decrypted session key instead.
 *
 * @param firstMessageIndex the first index the backed-up key can decrypt, as the uploader claims
 * @param forwardedCount how often the key was forwarded, as the uploader claims
 * @param isVerified whether the uploader verified the key's sender, as it claims
 * @param sessionData the encrypted session
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KeyBackupData(
        @JsonProperty("first_message_index") long firstMessageIndex,
        @JsonProperty("forwarded_count") long forwardedCount,
        @JsonProperty("is_verified") boolean isVerified,
        @JsonProperty("session_data") SessionData sessionData) {
}
