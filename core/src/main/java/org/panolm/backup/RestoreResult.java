package org.panolm.backup;

import java.util.List;

import org.panolm.keystore.RoomKeyRecord;

/**
 * What a restore produced: the sessions that decrypted and checked out (their provenance a backup, never
 * authenticated, since backup entries are unauthenticated), and the ones that did not. One bad entry never
 * stops the others.
 *
 * @param keys the sessions restored, in the body's order
 * @param failures the entries that could not be restored, each naming its room, session and field
 */
public record RestoreResult(List<RoomKeyRecord> keys, List<RestoreFailure> failures) {
    /** Copies the lists. */
    public RestoreResult {
        keys = List.copyOf(keys);
        failures = List.copyOf(failures);
    }
}
