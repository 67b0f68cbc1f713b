package org.panolm.keystore;

/**
 * What an import did: sessions new to the store, sessions replaced by a better copy, sessions already held
 * as well or better, and sessions the filter left out.
 */
public record ImportSummary(int added, int improved, int unchanged, int filteredOut) {
    public int total() {
        return added + improved + unchanged + filteredOut;
    }
}
