package org.panolm.cli.history;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Decrypts a batch of {@code m.room.encrypted} events. The batch is the unit of memory: the pipeline never
 * holds more than one batch of events and their results.
 */
public interface BatchDecryptor {
    /**
     * @param events  encrypted events, in input order
     * @param results receives exactly one outcome per event, in the same order
     */
    void decrypt(List<ObjectNode> events, List<Outcome> results);

    /**
     * Decrypts a batch in two steps, so that turning the results into outcomes (parsing plaintexts) can run
     * on another thread while the next batch is decrypted: {@code start} decrypts, the returned
     * {@link Pending#finish} makes the outcomes. A decryptor may hold the results of two batches: each
     * {@code Pending} must be finished before {@code start} is called twice more. By default both steps
     * happen in {@code start}.
     *
     * @param events encrypted events, in input order; not changed until the pending batch is finished
     * @return what makes the outcomes
     */
    default Pending start(List<ObjectNode> events) {
        List<Outcome> done = new ArrayList<>(events.size());
        decrypt(events, done);
        return results -> results.addAll(done);
    }

    /** A decrypted batch whose outcomes are still to be made. */
    interface Pending {
        /** @param results receives exactly one outcome per event of the batch, in its order */
        void finish(List<Outcome> results);
    }
}
