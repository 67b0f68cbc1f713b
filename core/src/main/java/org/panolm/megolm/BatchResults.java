package org.panolm.megolm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.panolm.megolm.BatchLayout.*;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

import org.panolm.PanolmException;
import org.panolm.Status;

/**
 * The outcome of one decryption of a {@link PreparedBatch}, as views over its result and output segments: per
 * message a status, the message index, and the plaintext's place in the output segment. Nothing is copied
 * unless asked for ({@link #plaintextString}, {@link #plaintextBytes}, {@link #message}). Positions are those
 * of {@link PreparedBatch#add}, in input order.
 *
 * <p>Lifetime: valid until the batch next changes — it is decrypted again, added to, cleared or closed. After
 * that every method throws {@link IllegalStateException} ("stale results") instead of reading what the batch
 * holds by then (a later batch's statuses and plaintexts). Segments already handed out ({@link #output()},
 * {@link #plaintext}) are views and cannot be recalled: read them before changing the batch, or copy them.
 */
public final class BatchResults {
    private static final Status[] STATUSES = Status.values();

    private final PreparedBatch batch;
    private final long generation;

    BatchResults(PreparedBatch batch, long generation) {
        this.batch = batch;
        this.generation = generation;
    }

    /** Locks the batch and checks these results are current; pair with {@link #unlock()}. */
    private void lock() {
        ReentrantLock lock = batch.lock();
        lock.lock();
        try {
            batch.checkCurrent(generation);
        } catch (RuntimeException e) {
            lock.unlock();
            throw e;
        }
    }

    private void unlock() {
        batch.lock().unlock();
    }

    /** Whether these results are still current (the batch has not changed since). */
    public boolean isCurrent() {
        ReentrantLock lock = batch.lock();
        lock.lock();
        try {
            batch.checkCurrent(generation);
            return true;
        } catch (IllegalStateException stale) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock();
        try {
            return batch.count();
        } finally {
            unlock();
        }
    }

    /** Called with the lock held. */
    private long base(int i) {
        if (i < 0 || i >= batch.count()) {
            throw new IndexOutOfBoundsException(i);
        }
        return RESULT.byteSize() * i;
    }

    /** The status code of message i (see {@link Status#code()}); no allocation. */
    public int statusCode(int i) {
        lock();
        try {
            return statusCodeLocked(i);
        } finally {
            unlock();
        }
    }

    private int statusCodeLocked(int i) {
        long b = base(i);
        int java = batch.javaStatus(i);
        return java != 0 ? java : batch.resultSegment().get(JAVA_INT, b + R_STATUS);
    }

    public Status status(int i) {
        return STATUSES[statusCode(i)];
    }

    public boolean isOk(int i) {
        return statusCode(i) == 0;
    }

    /** The Megolm message index; meaningful once the message parsed (any status from BAD_SIGNATURE on). */
    public long messageIndex(int i) {
        lock();
        try {
            return messageIndexLocked(i);
        } finally {
            unlock();
        }
    }

    private long messageIndexLocked(int i) {
        return Integer.toUnsignedLong(batch.resultSegment().get(JAVA_INT, base(i) + R_MESSAGE_INDEX));
    }

    /** Where message i's plaintext starts in {@link #output()}. */
    public long plaintextOffset(int i) {
        lock();
        try {
            return batch.resultSegment().get(JAVA_LONG, base(i) + R_PLAINTEXT_OFFSET);
        } finally {
            unlock();
        }
    }

    /** Plaintext length in bytes; 0 unless the message decrypted. */
    public int plaintextLength(int i) {
        lock();
        try {
            return batch.resultSegment().get(JAVA_INT, base(i) + R_PLAINTEXT_LENGTH);
        } finally {
            unlock();
        }
    }

    /** The output segment holding every plaintext (a view: see the class comment on lifetime). */
    public MemorySegment output() {
        lock();
        try {
            return batch.lastOutput();
        } finally {
            unlock();
        }
    }

    /** A view of message i's plaintext (a slice, no copy; see the class comment on lifetime). */
    public MemorySegment plaintext(int i) {
        lock();
        try {
            return plaintextLocked(i);
        } finally {
            unlock();
        }
    }

    private MemorySegment plaintextLocked(int i) {
        requireOkLocked(i);
        long b = base(i);
        MemorySegment r = batch.resultSegment();
        return batch.lastOutput().asSlice(r.get(JAVA_LONG, b + R_PLAINTEXT_OFFSET), r.get(JAVA_INT, b + R_PLAINTEXT_LENGTH));
    }

    /** A copy of message i's plaintext as UTF-8 text. */
    public String plaintextString(int i) {
        return new String(plaintextBytes(i), StandardCharsets.UTF_8);
    }

    public byte[] plaintextBytes(int i) {
        lock();
        try {
            return plaintextLocked(i).toArray(JAVA_BYTE);
        } finally {
            unlock();
        }
    }

    /** Message i as a {@link DecryptedMessage}; throws its failure. */
    public DecryptedMessage message(int i) {
        lock();
        try {
            return new DecryptedMessage(plaintextLocked(i).toArray(JAVA_BYTE), messageIndexLocked(i));
        } finally {
            unlock();
        }
    }

    /** Null when message i decrypted; otherwise the exception describing why not. */
    public PanolmException error(int i) {
        lock();
        try {
            return errorLocked(i);
        } finally {
            unlock();
        }
    }

    private PanolmException errorLocked(int i) {
        int code = statusCodeLocked(i);
        if (code == 0) {
            return null;
        }
        Status status = STATUSES[code];
        String reason = batch.javaReason(i);
        if (reason != null) {
            return new PanolmException(status, "message " + i + ", " + reason);
        }
        StringBuilder context = new StringBuilder("message ").append(i);
        String eventId = eventIdLocked(i);
        if (eventId != null) {
            context.append(", event ").append(eventId);
        }
        String session = batch.sessionIdOf(i);
        if (session != null) {
            context.append(", session ").append(session);
        }
        if (parsed(status)) {
            context.append(", message index ").append(messageIndexLocked(i));
        }
        return new PanolmException(status, context.toString());
    }

    /** Statuses that are only reached once the message parsed, so its index is known. */
    private static boolean parsed(Status status) {
        return switch (status) {
            case BAD_SIGNATURE, UNKNOWN_INDEX, REPLAYED_INDEX, BAD_MAC, BAD_PADDING, ROOM_MISMATCH, BAD_EVENT -> true;
            default -> false;
        };
    }

    private void requireOkLocked(int i) {
        PanolmException e = errorLocked(i);
        if (e != null) {
            throw e;
        }
    }

    /** The event id given for message i, or null. Allocates: for errors and reports. */
    public String eventId(int i) {
        lock();
        try {
            return eventIdLocked(i);
        } finally {
            unlock();
        }
    }

    private String eventIdLocked(int i) {
        base(i);
        MemorySegment m = batch.messageSegment();
        long mb = MESSAGE.byteSize() * i;
        int len = m.get(JAVA_INT, mb + M_EVENT_ID_LENGTH);
        if (len == 0) {
            return null;
        }
        long at = m.get(JAVA_LONG, mb + M_EVENT_ID_OFFSET);
        MemorySegment in = batch.inputSegment();
        if (at < 0 || at + len > in.byteSize()) {
            return null;
        }
        return new String(in.asSlice(at, len).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    }
}
