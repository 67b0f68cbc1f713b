package org.panolm.client.backup;

import org.jspecify.annotations.Nullable;

/**
 * How a round of backup uploads ended.
 *
 * @param state why it stopped
 * @param version the version uploaded to, or null when no version was left to upload to
 * @param sessionsUploaded sessions the server accepted in this round
 * @param batches requests the server accepted in this round
 * @param serverCount the server's {@code count} of keys in the version after the last batch, or -1
 * @param currentVersion the server's current version when it changed ({@code current_version}), or null
 */
public record UploadOutcome(State state, @Nullable String version, int sessionsUploaded, int batches,
                            long serverCount, @Nullable String currentVersion) {
    /** Why a round stopped. */
    public enum State {
        /** Every pending session is in the backup. */
        UP_TO_DATE,
        /** The server's current version is another one ({@code 403 M_WRONG_ROOM_KEYS_VERSION}). */
        VERSION_CHANGED,
        /** The version is gone ({@code 404}): deleted, with no successor. */
        VERSION_GONE,
        /** The server's new version is not trusted: nothing is uploaded to it. */
        NEW_VERSION_UNTRUSTED
    }
}
