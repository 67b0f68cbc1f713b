package org.panolm.cli.history;

import java.io.IOException;
import java.util.List;
import java.util.StringJoiner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.ByteBufferBackedInputStream;

import org.panolm.Status;
import org.panolm.cli.Json;
import org.panolm.cli.keys.KeyRing;
import org.panolm.megolm.BatchResults;
import org.panolm.megolm.BulkDecryptor;
import org.panolm.megolm.PreparedBatch;

/**
 * Decrypts batches with panolm's native bulk Megolm engine: one downcall per batch, spread over threads by
 * session, replay and room checks included. The prepared batch and its native memory are reused from batch
 * to batch; plaintexts are parsed straight from the native output without an intermediate copy.
 */
final class MegolmBatchDecryptor implements BatchDecryptor, AutoCloseable {
    private final KeyRing keys;
    private final BulkDecryptor bulk;
    private final PreparedBatch batch;

    MegolmBatchDecryptor(KeyRing keys, int threads, int batchSize) {
        this.keys = keys;
        this.bulk = new BulkDecryptor(threads);
        this.batch = PreparedBatch.create(batchSize);
    }

    @Override
    public void decrypt(List<ObjectNode> events, List<Outcome> results) {
        batch.clear();
        for (ObjectNode event : events) {
            batch.addEvent(event, null, keys);
        }
        BatchResults r = bulk.decrypt(batch);
        for (int i = 0; i < events.size(); i++) {
            results.add(r.isOk(i) ? decrypted(events.get(i), r, i) : failed(r.failure(i)));
        }
    }

    private Outcome decrypted(ObjectNode event, BatchResults r, int i) {
        JsonNode plaintext;
        try {
            plaintext = Json.STRICT_READER.readTree(new ByteBufferBackedInputStream(r.plaintext(i).asByteBuffer()));
        } catch (JsonProcessingException e) {
            return new Outcome.Failed(Status.BAD_EVENT.name(), "the decrypted payload is not valid JSON");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a memory segment cannot fail to read
        }
        if (!(plaintext instanceof ObjectNode payload) || !plaintext.path("type").isTextual()
                || !plaintext.path("content").isObject()) {
            return new Outcome.Failed(Status.BAD_EVENT.name(),
                    "the decrypted payload is not an object with a string type and an object content");
        }
        String sessionId = event.path("content").path("session_id").asText();
        String senderKey = keys.senderKey(sessionId);
        if (senderKey == null) {
            senderKey = event.path("content").path("sender_key").asText(null);
        }
        return new Outcome.Decrypted(payload, sessionId, r.messageIndex(i), senderKey);
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
            context = parts.toString();
        }
        Status status = f.status();
        return new Outcome.Failed(status.name(), context.isEmpty() ? status.description()
                : status.description() + " (" + context + ")");
    }

    @Override
    public void close() {
        batch.close();
    }
}
