package org.panolm.client.backup;

import java.util.List;

import org.panolm.backup.RestoreFailure;

/**
 * What a restore did.
 *
 * @param version the backup version restored from
 * @param authDataTrusted whether the version's {@code auth_data} was trusted (recorded in each key's provenance)
 * @param sessionsRead sessions read from the server that the filter selected (restored or failed)
 * @param restored sessions decrypted
 * @param added sessions new to the store
 * @param improved sessions the store already held in a worse copy
 * @param failures entries that did not decrypt or did not parse (at most the first 100 are kept)
 * @param failureCount how many failed in all
 */
public record RestoreSummary(String version, boolean authDataTrusted, long sessionsRead, long restored, long added,
                             long improved, List<RestoreFailure> failures, long failureCount) {
    /** Copies the list. */
    public RestoreSummary {
        failures = List.copyOf(failures);
    }
}
