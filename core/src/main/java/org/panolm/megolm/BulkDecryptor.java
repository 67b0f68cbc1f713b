package org.panolm.megolm;

import java.lang.foreign.MemorySegment;

import org.panolm.Parallelism;

/**
 * Decrypts whole batches of Megolm messages in one native call: grouped by session, ordered by index so
 * each ratchet only moves forward (room history arrives newest-first), with replay and room checks,
 * spread over threads by session. Results come back in input order regardless of threads. Replays: every
 * event whose message index carries a valid signature under more than one event id is
 * {@link org.panolm.Status#REPLAYED_INDEX}, whatever the order of the batch; to make that hold across the
 * batches of a whole input too, scan it first with a {@link ReplayScan}.
 *
 * <pre>{@code
 * try (PreparedBatch batch = PreparedBatch.create(events.size())) {
 *     for (String event : events) batch.addEvent(event, sessions::get);
 *     BatchResults r = new BulkDecryptor().decrypt(batch);
 *     for (int i = 0; i < r.size(); i++) if (r.isOk(i)) show(r.plaintextString(i)); else log(r.error(i));
 * }
 * }</pre>
 * Immutable and thread-safe; a {@link PreparedBatch} locks itself while it is decrypted.
 */
public final class BulkDecryptor {
    private final int threads;

    /** Uses {@link Parallelism#defaultThreads()} threads (every available processor unless configured). */
    public BulkDecryptor() {
        this(Parallelism.defaultThreads());
    }

    /**
     * Decrypts on a given number of threads.
     *
     * @param threads at least 1; sessions are spread over this many native threads
     */
    public BulkDecryptor(int threads) {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be 1..256, not " + threads);
        }
        this.threads = threads;
    }

    /**
     * The number of native threads a decryption uses.
     *
     * @return the thread count
     */
    public int threads() {
        return threads;
    }

    /**
     * Decrypts into the batch's own reusable output segment.
     *
     * @param batch the batch
     * @return the results, valid until the batch changes or is decrypted again
     */
    public BatchResults decrypt(PreparedBatch batch) {
        return batch.run(threads, null);
    }

    /**
     * Decrypts into a caller-owned native segment of at least {@link PreparedBatch#outputLength()} bytes.
     *
     * @param batch the batch
     * @param output where the plaintexts go
     * @return the results, valid until the batch changes or is decrypted again
     */
    public BatchResults decrypt(PreparedBatch batch, MemorySegment output) {
        if (output == null) {
            throw new IllegalArgumentException("output is null");
        }
        return batch.run(threads, output);
    }
}
