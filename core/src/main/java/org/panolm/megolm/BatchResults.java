package org.panolm.megolm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.panolm.megolm.BatchLayout.*;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.panolm.ErrorDetail;
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

    /**
     * Whether these results are still current (the batch has not changed since).
     *
     * @return true until the batch is decrypted again, added to, cleared or closed
     */
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

    /**
     * The number of messages in the batch.
     *
     * @return the number of results
     */
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

    /**
     * The status code of message i (see {@link Status#code()}); no allocation.
     *
     * @param i the message's position in the batch
     * @return the status code
     */
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

    /**
     * The status of message i.
     *
     * @param i the message's position in the batch
     * @return the status
     */
    public Status status(int i) {
        return STATUSES[statusCode(i)];
    }

    /**
     * Whether message i decrypted.
     *
     * @param i the message's position in the batch
     * @return true for {@code OK}
     */
    public boolean isOk(int i) {
        return statusCode(i) == 0;
    }

    /**
     * The Megolm message index; meaningful once the message parsed (any status from BAD_SIGNATURE on).
     *
     * @param i the message's position in the batch
     * @return the message index
     */
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

    /**
     * Where message i's plaintext starts in {@link #output()}.
     *
     * @param i the message's position in the batch
     * @return the offset in the output
     */
    public long plaintextOffset(int i) {
        lock();
        try {
            return batch.resultSegment().get(JAVA_LONG, base(i) + R_PLAINTEXT_OFFSET);
        } finally {
            unlock();
        }
    }

    /**
     * Plaintext length in bytes; 0 unless the message decrypted.
     *
     * @param i the message's position in the batch
     * @return the length in bytes
     */
    public int plaintextLength(int i) {
        lock();
        try {
            return batch.resultSegment().get(JAVA_INT, base(i) + R_PLAINTEXT_LENGTH);
        } finally {
            unlock();
        }
    }

    /**
     * The output segment holding every plaintext (a view: see the class comment on lifetime).
     *
     * @return the output segment
     */
    public MemorySegment output() {
        lock();
        try {
            return batch.lastOutput();
        } finally {
            unlock();
        }
    }

    /**
     * A view of message i's plaintext (a slice, no copy; see the class comment on lifetime).
     *
     * @param i the message's position in the batch
     * @return the plaintext bytes
     */
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

    /**
     * A copy of message i's plaintext as UTF-8 text.
     *
     * @param i the message's position in the batch
     * @return the plaintext
     */
    public String plaintextString(int i) {
        return new String(plaintextBytes(i), StandardCharsets.UTF_8);
    }

    /**
     * A copy of message i's plaintext bytes.
     *
     * @param i the message's position in the batch
     * @return the plaintext
     */
    public byte[] plaintextBytes(int i) {
        lock();
        try {
            return plaintextLocked(i).toArray(JAVA_BYTE);
        } finally {
            unlock();
        }
    }

    /**
     * Message i as a {@link DecryptedMessage}; throws its failure.
     *
     * @param i the message's position in the batch
     * @return the plaintext and message index
     */
    public DecryptedMessage message(int i) {
        lock();
        try {
            return new DecryptedMessage(plaintextLocked(i).toArray(JAVA_BYTE), messageIndexLocked(i),
                    provenanceLocked(i));
        } finally {
            unlock();
        }
    }

    /**
     * The provenance of the session copy that decrypted message i, which says how far its plaintext can be
     * trusted ({@link KeyProvenance#trust()}); when it failed, that of the first copy tried; null when no
     * session was known. No allocation.
     *
     * @param i the message's position in the batch
     * @return the provenance, or null
     */
    public @Nullable KeyProvenance provenance(int i) {
        lock();
        try {
            return provenanceLocked(i);
        } finally {
            unlock();
        }
    }

    private KeyProvenance provenanceLocked(int i) {
        base(i);
        MegolmInboundSession copy = batch.copyOf(i);
        return copy == null ? null : copy.provenance();
    }

    /**
     * Which copy of its session decrypted message i: 0 for the first (the lookup's first, normally the best
     * copy held), k for the k-th other copy tried after the first failed (see {@link SessionLookup#copies}).
     *
     * @param i the message's position in the batch
     * @return the copy's number
     */
    public int copyIndex(int i) {
        lock();
        try {
            base(i);
            return Math.max(0, batch.copyOutcome(i));
        } finally {
            unlock();
        }
    }

    /**
     * How many other copies of its session were tried for message i, none of them decrypting it.
     *
     * @param i the message's position in the batch
     * @return the number of other copies that failed too; 0 when it decrypted or there were none
     */
    public int otherCopiesFailed(int i) {
        lock();
        try {
            return otherCopiesFailedLocked(i);
        } finally {
            unlock();
        }
    }

    private int otherCopiesFailedLocked(int i) {
        base(i);
        return Math.max(0, -batch.copyOutcome(i));
    }

    /**
     * Null when message i decrypted; otherwise the exception describing why not.
     *
     * @param i the message's position in the batch
     * @return the failure, or null
     */
    public @Nullable PanolmException error(int i) {
        lock();
        try {
            return errorLocked(i);
        } finally {
            unlock();
        }
    }

    private PanolmException errorLocked(int i) {
        Failure f = failureLocked(i);
        if (f == null) {
            return null;
        }
        String subject = "message " + i + (f.sessionId() == null ? "" : ", session " + f.sessionId());
        if (f.reason() != null) {
            return new PanolmException(f.status(), new ErrorDetail(subject, f.eventId(), null, null, f.reason()));
        }
        StringBuilder reason = new StringBuilder(f.status().description());
        if (f.otherCopiesFailed() > 0) {
            reason.append(", and ").append(f.otherCopiesFailed())
                    .append(f.otherCopiesFailed() == 1 ? " other copy" : " other copies").append(" of the session failed too");
        }
        return new PanolmException(f.status(), new ErrorDetail(subject, f.eventId(), null,
                f.messageIndex(), reason.toString()));
    }

    /**
     * Why message i failed, as data rather than a sentence (for callers that present errors their own way).
     * Allocates: for errors and reports.
     *
     * @param i the message's position in the batch
     * @return the failure, or null when the message decrypted
     */
    public @Nullable Failure failure(int i) {
        lock();
        try {
            return failureLocked(i);
        } finally {
            unlock();
        }
    }

    private Failure failureLocked(int i) {
        int code = statusCodeLocked(i);
        if (code == 0) {
            return null;
        }
        Status status = STATUSES[code];
        String reason = batch.javaReason(i);
        if (reason != null) {
            return new Failure(status, eventIdLocked(i), null, null, reason, 0);
        }
        return new Failure(status, eventIdLocked(i), batch.sessionIdOf(i), parsed(status) ? messageIndexLocked(i) : null,
                null, otherCopiesFailedLocked(i));
    }

    /**
     * One failed message.
     *
     * @param status       why it failed
     * @param eventId      the event id given for it, or null
     * @param sessionId    the session it was decrypted with, or null when none was found
     * @param messageIndex its Megolm message index, or null when the message did not parse that far
     * @param reason       why it was refused before decryption (a malformed event, an unknown session: a
     *                     sentence naming the event and field), or null when the native checks decided
     * @param otherCopiesFailed how many other copies of the session were tried too, none decrypting it
     *                     ({@link #otherCopiesFailed(int)})
     */
    public record Failure(Status status, @Nullable String eventId, @Nullable String sessionId, @Nullable Long messageIndex, @Nullable String reason,
                          int otherCopiesFailed) {
        /**
         * A failure where no other copy of the session was tried.
         *
         * @param status       why it failed
         * @param eventId      the event id given for it, or null
         * @param sessionId    the session it was decrypted with, or null
         * @param messageIndex its Megolm message index, or null
         * @param reason       why it was refused before decryption, or null
         */
        public Failure(Status status, @Nullable String eventId, @Nullable String sessionId, @Nullable Long messageIndex, @Nullable String reason) {
            this(status, eventId, sessionId, messageIndex, reason, 0);
        }
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

    /**
     * The event id given for message i, or null. Allocates: for errors and reports.
     *
     * @param i the message's position in the batch
     * @return the event id, or null
     */
    public @Nullable String eventId(int i) {
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
