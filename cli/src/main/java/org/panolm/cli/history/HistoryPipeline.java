package org.panolm.cli.history;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.Status;
import org.panolm.cli.CliException;
import org.panolm.cli.Errors;
import org.panolm.cli.io.EventReader;
import org.panolm.cli.io.InputEvent;

/**
 * Reads events, decrypts them a batch at a time and writes one line per event in input order, as three
 * overlapping stages: a reading thread reads and parses the next batch while the calling thread decrypts
 * one (the native engine spreads it over its threads) and a writing thread makes the outcomes of the one
 * before (parsing its plaintexts, off the decrypting thread) and writes them. Batches
 * are handed from stage to stage without a queue between them, so at most three are held at once, and
 * each is a third of {@code batchSize} events: memory is bounded by {@code batchSize} events (rounded up
 * to three) and {@link #BATCH_BYTES} of input, with their ciphertexts and results, whatever the size of the
 * input. The output is the same as when the stages ran one after the other: an input that cannot be read on
 * fails the run after every line before the failure was written.
 */
public final class HistoryPipeline {
    public static final String ENCRYPTED_TYPE = "m.room.encrypted";
    /** The input held at once ends a batch early, so that large events cannot fill memory. */
    static final long BATCH_BYTES = 8L << 20;
    /** Read, decrypt, write: one batch in each. */
    private static final int STAGES = 3;
    /** How often a stage waiting for another looks whether the run was stopped. */
    private static final long POLL_MS = 50;

    private final EventReader reader;
    private final BatchDecryptor decryptor;
    private final int stageSize;
    private final Runnable onBatch;

    /**
     * @param batchSize the events held in memory at once (each stage holds a third)
     * @param onBatch   called after each batch is written (the progress bar), on the writing thread
     */
    public HistoryPipeline(EventReader reader, BatchDecryptor decryptor, int batchSize, Runnable onBatch) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
        this.reader = reader;
        this.decryptor = decryptor;
        this.stageSize = (batchSize + STAGES - 1) / STAGES;
        this.onBatch = onBatch;
    }

    /** What an input item is, before any decryption. */
    private enum Kind { ENCRYPTED, NOT_ENCRYPTED, BAD }

    /** One batch on its way through the stages; each field is written by one stage before it hands it on. */
    private static final class Batch {
        final List<InputEvent> events = new ArrayList<>();
        final List<Kind> kinds = new ArrayList<>();
        final List<ObjectNode> encrypted = new ArrayList<>();
        /** The decrypted batch whose outcomes the writing stage makes; null when nothing was encrypted. */
        BatchDecryptor.Pending pending;
        final List<Outcome> results = new ArrayList<>();
        /** The last batch: after it the input ended, or could not be read on ({@link #failure}). */
        boolean last;
        /** Why the input could not be read on after this batch's events; thrown once they are written. */
        RuntimeException failure;
    }

    /** Thrown inside a stage when another stage failed and the run stops. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    /** The first failure of any stage; once set, every stage stops. */
    private final AtomicReference<Throwable> failed = new AtomicReference<>();

    public Summary run(OutputStream out) {
        Summary summary = new Summary();
        SynchronousQueue<Batch> toDecrypt = new SynchronousQueue<>();
        SynchronousQueue<Batch> toWrite = new SynchronousQueue<>();
        HistoryWriter writer;
        try {
            writer = new HistoryWriter(out);
        } catch (IOException e) {
            throw new CliException("cannot write the output: " + Errors.describe(e), e);
        }
        RuntimeException[] inputFailure = {null};
        Thread reading = stage("panolm-history-read", () -> read(toDecrypt));
        Thread writing = stage("panolm-history-write", () -> inputFailure[0] = write(toWrite, writer, summary));
        try {
            while (true) {
                Batch batch = take(toDecrypt);
                decrypt(batch);
                hand(toWrite, batch);
                if (batch.last) {
                    break;
                }
            }
        } catch (Stopped e) {
            // another stage failed: reported below
        } catch (RuntimeException | Error e) {
            failed.compareAndSet(null, e);
        }
        join(writing);
        if (failed.get() != null) {
            // The reading thread may be blocked on its input (a pipe): it is a daemon and is not waited for.
            Throwable t = failed.get();
            if (t instanceof IOException io) {
                throw new CliException("cannot write the output: " + Errors.describe(io), io);
            }
            if (t instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) t;
        }
        join(reading);
        if (inputFailure[0] != null) {
            throw inputFailure[0];
        }
        return summary;
    }

    /** The reading stage: batches of parsed events, the last one marked (with the input's failure, if any). */
    private void read(SynchronousQueue<Batch> toDecrypt) {
        while (true) {
            Batch batch = new Batch();
            long bytes = 0;
            try {
                InputEvent e = null;
                while (batch.events.size() < stageSize && bytes < BATCH_BYTES / STAGES && (e = reader.next()) != null) {
                    bytes += add(batch, e);
                }
                batch.last = e == null; // else the batch is full
            } catch (RuntimeException ex) {
                // As when read in one thread: the events of the unfinished batch are not written.
                batch.events.clear();
                batch.kinds.clear();
                batch.encrypted.clear();
                batch.last = true;
                batch.failure = ex;
            }
            hand(toDecrypt, batch);
            if (batch.last) {
                return;
            }
        }
    }

    /**
     * One event into the batch, on the reading thread; returns its input size. Each event's work is a call of
     * its own, not a loop body: a method that runs once per batch stays interpreted until the JIT compiles its
     * loop on the stack, which with C1 alone takes most of a run.
     */
    private static int add(Batch batch, InputEvent e) {
        Kind kind = kind(e);
        batch.events.add(e);
        batch.kinds.add(kind);
        if (kind == Kind.ENCRYPTED) {
            batch.encrypted.add(e.event());
        }
        return e.size();
    }

    /**
     * The decrypting stage, on the calling thread: the batch's encrypted events through the decryptor. The
     * outcomes are made by the writing stage ({@link #outcomes}), while this stage decrypts the next batch:
     * the decryptor holds two batches' results, and a batch is handed to the writer only once the writer has
     * finished the one before, so each is finished before its results are reused.
     */
    private void decrypt(Batch batch) {
        if (!batch.encrypted.isEmpty()) {
            batch.pending = decryptor.start(batch.encrypted);
        }
    }

    /** The outcomes of the batch's encrypted events, on the writing thread. */
    private static void outcomes(Batch batch) {
        if (batch.pending == null) {
            return;
        }
        batch.pending.finish(batch.results);
        batch.pending = null;
        if (batch.results.size() != batch.encrypted.size()) {
            throw new IllegalStateException("the decryptor returned " + batch.results.size() + " results for "
                    + batch.encrypted.size() + " events");
        }
        batch.encrypted.clear();
    }

    /** The writing stage: one line per event; returns the input's failure after the last line before it. */
    private RuntimeException write(SynchronousQueue<Batch> toWrite, HistoryWriter writer, Summary summary) {
        try {
            while (true) {
                Batch batch = take(toWrite);
                outcomes(batch);
                int next = 0;
                for (int i = 0; i < batch.events.size(); i++) {
                    next = writeEvent(batch, i, next, writer, summary);
                }
                onBatch.run();
                if (batch.last) {
                    writer.flush();
                    return batch.failure;
                }
            }
        } catch (IOException e) {
            failed.compareAndSet(null, e);
            return null;
        }
    }

    /** Writes event {@code i} (a call per event, as {@link #add}); returns the next encrypted result's position. */
    private static int writeEvent(Batch batch, int i, int next, HistoryWriter writer, Summary summary)
            throws IOException {
        InputEvent in = batch.events.get(i);
        batch.events.set(i, null); // written events need not stay in memory until the batch ends
        Kind kind = batch.kinds.get(i);
        Outcome outcome = switch (kind) {
            case ENCRYPTED -> batch.results.set(next++, null);
            case NOT_ENCRYPTED -> Outcome.NOT_ENCRYPTED;
            case BAD -> new Outcome.Failed(Status.BAD_EVENT.name(), in.isMalformed() ? in.problem()
                    : in.location() + ": type is missing or not a string");
        };
        // An item that is no event (malformed, or without a type) is not echoed: only its error is.
        writer.write(kind == Kind.BAD ? null : in.event(), outcome);
        summary.count(kind == Kind.ENCRYPTED, outcome);
        return next;
    }

    private Thread stage(String name, Runnable body) {
        return Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                body.run();
            } catch (Stopped e) {
                // another stage failed first
            } catch (Throwable t) {
                failed.compareAndSet(null, t);
            }
        });
    }

    private void hand(SynchronousQueue<Batch> queue, Batch batch) {
        try {
            while (!queue.offer(batch, POLL_MS, TimeUnit.MILLISECONDS)) {
                if (failed.get() != null) {
                    throw new Stopped();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed.compareAndSet(null, new CliException("interrupted"));
            throw new Stopped();
        }
    }

    private Batch take(SynchronousQueue<Batch> queue) {
        try {
            Batch batch;
            while ((batch = queue.poll(POLL_MS, TimeUnit.MILLISECONDS)) == null) {
                if (failed.get() != null) {
                    throw new Stopped();
                }
            }
            return batch;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed.compareAndSet(null, new CliException("interrupted"));
            throw new Stopped();
        }
    }

    /** Waits for a stage even when interrupted: it may be writing to the output the caller closes next. */
    private static void join(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
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
