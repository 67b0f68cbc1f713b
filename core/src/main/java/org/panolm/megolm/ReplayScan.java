package org.panolm.megolm;

/**
 * Replay verdicts for a whole input that do not depend on its order or on how it is split into batches
 * (docs/formats.md §11.3). Megolm lets one ciphertext decrypt any number of times; a message index that
 * carries a valid signature under two or more event ids is a replay for every one of those events
 * ({@link org.panolm.Status#REPLAYED_INDEX}), the earliest as much as the later, because nothing the sender
 * signed tells the original from the copy. A {@link BulkDecryptor} alone judges each batch as a whole, but a
 * replay whose copies fall into different batches is only caught by the later batch; scanning first closes
 * that gap:
 *
 * <pre>{@code
 * ReplayScan scan = new ReplayScan(threads);
 * for (PreparedBatch batch : input) scan.note(batch);           // a parse: no signature is checked
 * if (scan.needsConfirmation()) {
 *     for (PreparedBatch batch : input) scan.confirm(batch);    // signatures at contested indices only
 * }
 * for (PreparedBatch batch : input) results = bulk.decrypt(batch);   // any order, any split
 * }</pre>
 *
 * The batches may be built afresh for each pass (a stream read again) as long as every pass sees the same
 * events with the same sessions. The scan's findings live in the sessions, so the verdicts hold for every
 * later decryption with them. Noting costs about a base64 decode per event; confirming verifies the
 * signatures of the events at contested indices, which an honest history does not have (forged events can
 * make any index contested, but never make it a replay). Not thread-safe; batches lock themselves.
 */
public final class ReplayScan {
    /** PANOLM_MEGOLM_REPLAY_NOTE and _CONFIRM of panolm_megolm.h. */
    static final int NOTE = 1;
    static final int CONFIRM = 2;

    private final int threads;
    private long contested;
    private long conflicted;
    private boolean confirming;

    /**
     * A scan whose confirmations check signatures on this many native threads.
     *
     * @param threads native threads for the signatures a confirmation checks, 1..256
     */
    public ReplayScan(int threads) {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be 1..256, not " + threads);
        }
        this.threads = threads;
    }

    /**
     * First pass: records every event id of the batch. Its results, if any, go stale.
     *
     * @param batch one batch of the input, with its sessions
     * @throws IllegalStateException once a confirmation has started
     */
    public void note(PreparedBatch batch) {
        if (confirming) {
            throw new IllegalStateException("every batch is noted before any is confirmed");
        }
        contested += batch.scan(NOTE, threads);
    }

    /**
     * Whether some index carries several event ids, so that {@link #confirm} must see the input again.
     *
     * @return true when a second pass is needed
     */
    public boolean needsConfirmation() {
        return contested > 0;
    }

    /**
     * Second pass, only when {@link #needsConfirmation()}: checks the signatures at contested indices.
     *
     * @param batch one batch of the input, as the first pass saw it
     */
    public void confirm(PreparedBatch batch) {
        confirming = true;
        conflicted += batch.scan(CONFIRM, threads);
    }

    /**
     * Indices that carried several event ids when noted.
     *
     * @return the number of contested indices
     */
    public long contestedIndices() {
        return contested;
    }

    /**
     * Indices confirmed to carry valid signatures under several event ids: their events are replays.
     *
     * @return the number of conflicted indices
     */
    public long conflictedIndices() {
        return conflicted;
    }
}
