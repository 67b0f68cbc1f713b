package org.panolm.cli.history;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.cli.CliException;
import org.panolm.cli.io.EventReader;
import org.panolm.cli.io.InputEvent;

/**
 * Reads events, decrypts them a batch at a time and writes one line per event in input order. Memory is
 * bounded by the batch size: at most one batch of events, their ciphertexts and their results is held,
 * whatever the size of the input.
 */
public final class HistoryPipeline {
    public static final String ENCRYPTED_TYPE = "m.room.encrypted";

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

    public Summary run(OutputStream out) {
        Summary summary = new Summary();
        List<InputEvent> batch = new ArrayList<>(batchSize);
        List<ObjectNode> encrypted = new ArrayList<>(batchSize);
        List<Outcome> results = new ArrayList<>(batchSize);
        try {
            HistoryWriter writer = new HistoryWriter(out);
            while (true) {
                batch.clear();
                InputEvent e;
                while (batch.size() < batchSize && (e = reader.next()) != null) {
                    batch.add(e);
                }
                if (batch.isEmpty()) {
                    break;
                }
                encrypted.clear();
                results.clear();
                for (InputEvent in : batch) {
                    if (isEncrypted(in)) {
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
                int next = 0;
                for (InputEvent in : batch) {
                    boolean enc = isEncrypted(in);
                    Outcome outcome = in.isMalformed() ? new Outcome.Failed("BAD_EVENT", in.problem())
                            : enc ? results.get(next++) : Outcome.PASS_THROUGH;
                    writer.write(in, outcome);
                    summary.count(enc, outcome);
                }
                onBatch.run();
            }
            writer.flush();
        } catch (IOException e) {
            throw new CliException("cannot write the output: " + e.getMessage(), e);
        }
        return summary;
    }

    static boolean isEncrypted(InputEvent in) {
        if (in.isMalformed()) {
            return false;
        }
        JsonNode type = in.event().get("type");
        return type != null && ENCRYPTED_TYPE.equals(type.asText(null));
    }
}
