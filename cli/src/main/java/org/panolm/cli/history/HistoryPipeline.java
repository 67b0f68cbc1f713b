package org.panolm.cli.history;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.Status;
import org.panolm.cli.CliException;
import org.panolm.cli.Errors;
import org.panolm.cli.io.EventReader;
import org.panolm.cli.io.InputEvent;

/**
 * Reads events, decrypts them a batch at a time and writes one line per event in input order: read →
 * decrypt → write. Memory is bounded by the batch: at most {@code batchSize} events, and at most
 * {@link #BATCH_BYTES} of input in one batch (every event is at most the maximum event size), with their
 * ciphertexts and results, whatever the size of the input.
 */
public final class HistoryPipeline {
    public static final String ENCRYPTED_TYPE = "m.room.encrypted";
    /** A batch ends early once its events took this much input, so that large events cannot fill memory. */
    static final long BATCH_BYTES = 8L << 20;

    private final EventReader reader;
    private final BatchDecryptor decryptor;
    private final int batchSize;
    private final Runnable onBatch;

    /** @param onBatch called after each batch is written (the progress bar) */
    public HistoryPipeline(EventReader reader, BatchDecryptor decryptor, int batchSize, Runnable onBatch) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
        this.reader = reader;
        this.decryptor = decryptor;
        this.batchSize = batchSize;
        this.onBatch = onBatch;
    }

    /** What an input item is, before any decryption. */
    private enum Kind { ENCRYPTED, NOT_ENCRYPTED, BAD }

    public Summary run(OutputStream out) {
        Summary summary = new Summary();
        List<InputEvent> batch = new ArrayList<>(batchSize);
        List<ObjectNode> encrypted = new ArrayList<>(batchSize);
        List<Outcome> results = new ArrayList<>(batchSize);
        try {
            HistoryWriter writer = new HistoryWriter(out);
            while (true) {
                // read
                batch.clear();
                long bytes = 0;
                InputEvent e;
                while (batch.size() < batchSize && bytes < BATCH_BYTES && (e = reader.next()) != null) {
                    batch.add(e);
                    bytes += e.size();
                }
                if (batch.isEmpty()) {
                    break;
                }
                // decrypt
                encrypted.clear();
                results.clear();
                for (InputEvent in : batch) {
                    if (kind(in) == Kind.ENCRYPTED) {
                        encrypted.add(in.event());
                    }
                }
                if (!encrypted.isEmpty()) {
                    decryptor.decrypt(encrypted, results);
                    if (results.size() != encrypted.size()) {
                        throw new IllegalStateException("the decryptor returned " + results.size() + " results for "
                                + encrypted.size() + " events");
                    }
                }
                // write
                int next = 0;
                for (int i = 0; i < batch.size(); i++) {
                    InputEvent in = batch.get(i);
                    batch.set(i, null); // written events need not stay in memory until the batch ends
                    Kind kind = kind(in);
                    Outcome outcome = switch (kind) {
                        case ENCRYPTED -> results.get(next++);
                        case NOT_ENCRYPTED -> Outcome.NOT_ENCRYPTED;
                        case BAD -> new Outcome.Failed(Status.BAD_EVENT.name(), in.isMalformed() ? in.problem()
                                : in.location() + ": type is missing or not a string");
                    };
                    // An item that is no event (malformed, or without a type) is not echoed: only its error is.
                    writer.write(kind == Kind.BAD ? null : in.event(), outcome);
                    summary.count(kind == Kind.ENCRYPTED, outcome);
                }
                onBatch.run();
            }
            writer.flush();
        } catch (IOException e) {
            throw new CliException("cannot write the output: " + Errors.describe(e), e);
        }
        return summary;
    }

    private static Kind kind(InputEvent in) {
        if (in.isMalformed()) {
            return Kind.BAD;
        }
        JsonNode type = in.event().get("type");
        if (type == null || !type.isTextual()) {
            return Kind.BAD;
        }
        return ENCRYPTED_TYPE.equals(type.textValue()) ? Kind.ENCRYPTED : Kind.NOT_ENCRYPTED;
    }
}
