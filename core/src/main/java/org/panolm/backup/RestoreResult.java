package org.panolm.backup;

import java.util.List;

import org.panolm.keystore.RoomKeyRecord;

/**
 * What a restore produced: the sessions that decrypted and checked out (all marked unverified, since
 * backup entries are unauthenticated), and the ones that did not. One bad entry never stops the others.
 *
 * @param keys the sessions restored, marked unverified
 * @param failures the entries that failed, and why
 */
public record RestoreResult(List<RoomKeyRecord> keys, List<RestoreFailure> failures) {
    /** Copies the lists. */
    public RestoreResult {
        keys = List.copyOf(keys);
        failures = List.copyOf(failures);
    }
}
