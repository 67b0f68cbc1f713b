package org.panolm.keystore;

/**
 * What an import did: sessions new to the store, sessions replaced by a better copy, sessions already held
 * as well or better, and sessions the filter left out.
 *
 * @param added sessions new to the store
 * @param improved sessions replaced by a better copy
 * @param unchanged sessions already held as well or better
 * @param filteredOut sessions the filter left out
 */
public record ImportSummary(int added, int improved, int unchanged, int filteredOut) {
    /**
     * Every session the import saw.
     *
     * @return the sum of the four counts
     */
    public int total() {
        return added + improved + unchanged + filteredOut;
    }
}
