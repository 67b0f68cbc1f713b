package org.panolm.keystore;

/**
 * What an import did with each incoming copy: a session new to the store ({@code added}); a connecting copy
 * that made the held one better ({@code improved}); one that added nothing ({@code unchanged}); one kept
 * beside held copies it does not connect to ({@code conflicts}, see {@link SessionCopies}); one dropped
 * because the session already had {@value SessionCopies#MAX_COPIES} better copies ({@code refused}); one the
 * filter left out ({@code filteredOut}). {@code evicted} counts held copies that a better conflicting copy
 * pushed out.
 *
 * @param added copies of sessions new to the store
 * @param improved connecting copies that made the held one better
 * @param unchanged connecting copies that added nothing
 * @param conflicts copies kept beside held copies they do not connect to
 * @param refused copies dropped: their session already had enough better copies
 * @param evicted held copies pushed out by better conflicting ones
 * @param filteredOut copies the filter left out
 */
public record ImportSummary(int added, int improved, int unchanged, int conflicts, int refused, int evicted,
                            int filteredOut) {
    /**
     * The number of incoming copies.
     *
     * @return every copy counted once ({@code evicted} counts held copies, not incoming ones)
     */
    public int total() {
        return added + improved + unchanged + conflicts + refused + filteredOut;
    }
}
