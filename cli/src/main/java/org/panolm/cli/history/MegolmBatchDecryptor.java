package org.panolm.cli.history;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.internal.json.TreeBatches;
import org.panolm.Status;
import org.panolm.cli.keys.KeyRing;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.megolm.BatchResults;
import org.panolm.megolm.BulkDecryptor;
import org.panolm.megolm.PreparedBatch;

/**
 * Decrypts batches with panolm's native bulk Megolm engine: one downcall per batch, spread over threads by
 * session, replay and room checks included. Two prepared batches and their native memory are reused in turn
 * from batch to batch; each plaintext is copied from the native output into one reused array and parsed there.
 */
final class MegolmBatchDecryptor implements BatchDecryptor, AutoCloseable {
    private final KeyRing keys;
    private final BulkDecryptor bulk;
    /**
     * Two prepared batches, used in turn: one is decrypted while the outcomes of the other are made (on the
     * pipeline's writing thread). A batch locks itself, so the hand-off between threads is safe, and results
     * read after their batch was reused fail as stale rather than read another batch's plaintexts.
     */
    private final PreparedBatch[] batches = new PreparedBatch[2];
    private int next;
    /** Where each plaintext is copied to be parsed (grows to the largest); used by one finishing thread at a time. */
    private byte[] scratch = new byte[4096];

    MegolmBatchDecryptor(KeyRing keys, int threads, int batchSize) {
        this.keys = keys;
        this.bulk = new BulkDecryptor(threads);
        batches[0] = PreparedBatch.create(batchSize);
        try {
            batches[1] = PreparedBatch.create(batchSize);
        } catch (RuntimeException | Error e) {
            batches[0].close();
            throw e;
        }
    }

    @Override
    public void decrypt(List<ObjectNode> events, List<Outcome> results) {
        start(events).finish(results);
    }

    @Override
    public Pending start(List<ObjectNode> events) {
        PreparedBatch batch = batches[next];
        next ^= 1;
        batch.clear();
        for (ObjectNode event : events) {
            TreeBatches.addEvent(batch, event, null, keys);
        }
        BatchResults r = bulk.decrypt(batch);
        return results -> {
            for (int i = 0; i < events.size(); i++) {
                results.add(outcome(events.get(i), r, i));
            }
        };
    }

    /** Event {@code i}'s outcome: a call per event, so it is compiled early (see HistoryPipeline#add). */
    private Outcome outcome(ObjectNode event, BatchResults r, int i) {
        return r.isOk(i) ? decrypted(event, r, i) : withheldOrFailed(event, r.failure(i));
    }

    private Outcome decrypted(ObjectNode event, BatchResults r, int i) {
        Plaintext payload;
        // Copied from the native output into one reused array and read there without a tree (Plaintext).
        MemorySegment bytes = r.plaintext(i);
        int length = Math.toIntExact(bytes.byteSize());
        if (scratch.length < length) {
            java.util.Arrays.fill(scratch, (byte) 0); // plaintexts read before
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, 0, scratch, 0, length);
        try {
            payload = Plaintext.parse(scratch, 0, length);
        } catch (Plaintext.NotAPayload e) {
            return new Outcome.Failed(Status.BAD_EVENT.name(), e.reason());
        }
        String sessionId = event.path("content").path("session_id").asText();
        // What the copy that decrypted the event says about its creator (a claim unless authenticated); never
        // the event's own cleartext sender_key, which whoever sent the event chose.
        List<RoomKeyRecord> copies = keys.records(event.path("room_id").asText(null), sessionId);
        int copy = r.copyIndex(i);
        RoomKeyRecord record = copy < copies.size() ? copies.get(copy) : null;
        return new Outcome.Decrypted(payload, sessionId, r.messageIndex(i),
                record == null ? null : record.key().senderKey(), r.provenance(i), copy, copies.size());
    }

    /** A session the store keeps under the do-not-store flag is never held, so its events land here. */
    private Outcome withheldOrFailed(ObjectNode event, BatchResults.Failure f) {
        String sessionId = event.path("content").path("session_id").asText(null);
        if (f.status() == Status.UNKNOWN_SESSION && sessionId != null
                && keys.withheld(event.path("room_id").asText(""), sessionId)) {
            return new Outcome.WithheldDoNotStore(sessionId);
        }
        return failed(f);
    }

    /**
     * The status's sentence and what the engine says about the message, from its failure as data: the
     * reason decided before decryption (a malformed event, an unknown session), else the event, session
     * and message index.
     */
    static Outcome.Failed failed(BatchResults.Failure f) {
        String context;
        if (f.reason() != null) {
            context = f.reason();
        } else {
            StringJoiner parts = new StringJoiner(", ");
            if (f.eventId() != null) {
                parts.add("event " + f.eventId());
            }
            if (f.sessionId() != null) {
                parts.add("session " + f.sessionId());
            }
            if (f.messageIndex() != null) {
                parts.add("message index " + f.messageIndex());
            }
            if (f.otherCopiesFailed() > 0) {
                parts.add(f.otherCopiesFailed() + (f.otherCopiesFailed() == 1 ? " other copy" : " other copies")
                        + " of the session failed too");
            }
            context = parts.toString();
        }
        Status status = f.status();
        return new Outcome.Failed(status.name(), context.isEmpty() ? status.description()
                : status.description() + " (" + context + ")");
    }

    @Override
    public void close() {
        java.util.Arrays.fill(scratch, (byte) 0); // the last plaintexts parsed
        batches[0].close();
        batches[1].close();
    }
}
