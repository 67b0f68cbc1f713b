package org.panolm.backup;

import java.util.List;

import org.panolm.keystore.RoomKeyRecord;

/**
 * What a restore produced: the sessions that decrypted and checked out (their provenance a backup, never
 * authenticated, since backup entries are unauthenticated), and the ones that did not. One bad entry never
 * stops the others.
 */
public record RestoreResult(List<RoomKeyRecord> keys, List<RestoreFailure> failures) {
    public RestoreResult {
        keys = List.copyOf(keys);
        failures = List.copyOf(failures);
    }
}
