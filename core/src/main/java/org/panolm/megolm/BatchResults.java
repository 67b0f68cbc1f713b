package org.panolm.megolm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.panolm.megolm.BatchLayout.*;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import org.panolm.PanolmException;
import org.panolm.Status;

/**
 * The outcome of a batch, as views over its result and output segments: per message a status, the
 * message index, and the plaintext's place in the output segment. Nothing is copied unless asked for
 * ({@link #plaintextString}, {@link #plaintextBytes}, {@link #message}). Valid until the batch is
 * decrypted again, cleared or closed. Positions are those of {@link PreparedBatch#add}, in input order.
 */
public final class BatchResults {
    private static final Status[] STATUSES = Status.values();

    private final PreparedBatch batch;

    BatchResults(PreparedBatch batch) {
        this.batch = batch;
    }

    /**
     * The number of messages in the batch.
     *
     * @return the number of results
     */
    public int size() {
        return batch.size();
    }

    private long base(int i) {
        if (!batch.decrypted()) {
            throw new IllegalStateException("the batch has not been decrypted since it last changed");
        }
        if (i < 0 || i >= batch.size()) {
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
        return Integer.toUnsignedLong(batch.resultSegment().get(JAVA_INT, base(i) + R_MESSAGE_INDEX));
    }

    /**
     * Where message i's plaintext starts in {@link #output()}.
     *
     * @param i the message's position in the batch
     * @return the offset in the output
     */
    public long plaintextOffset(int i) {
        return batch.resultSegment().get(JAVA_LONG, base(i) + R_PLAINTEXT_OFFSET);
    }

    /**
     * Plaintext length in bytes; 0 unless the message decrypted.
     *
     * @param i the message's position in the batch
     * @return the length in bytes
     */
    public int plaintextLength(int i) {
        return batch.resultSegment().get(JAVA_INT, base(i) + R_PLAINTEXT_LENGTH);
    }

    /**
     * The output segment holding every plaintext.
     *
     * @return the output segment
     */
    public MemorySegment output() {
        if (!batch.decrypted()) {
            throw new IllegalStateException("the batch has not been decrypted since it last changed");
        }
        return batch.lastOutput();
    }

    /**
     * A view of message i's plaintext (a slice, no copy).
     *
     * @param i the message's position in the batch
     * @return the plaintext bytes
     */
    public MemorySegment plaintext(int i) {
        requireOk(i);
        return batch.lastOutput().asSlice(plaintextOffset(i), plaintextLength(i));
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
        requireOk(i);
        return batch.lastOutput().asSlice(plaintextOffset(i), plaintextLength(i)).toArray(JAVA_BYTE);
    }

    /**
     * Message i as a {@link DecryptedMessage}; throws its failure.
     *
     * @param i the message's position in the batch
     * @return the plaintext and message index
     */
    public DecryptedMessage message(int i) {
        return new DecryptedMessage(plaintextBytes(i), messageIndex(i), provenance(i));
    }

    /**
     * The provenance of the session copy that decrypted message i, which says how far its plaintext can be
     * trusted ({@link KeyProvenance#trust()}); when it failed, that of the first copy tried; null when no
     * session was known. No allocation.
     *
     * @param i the message's position in the batch
     * @return the provenance, or null
     */
    public KeyProvenance provenance(int i) {
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
        base(i);
        return Math.max(0, batch.copyOutcome(i));
    }

    /**
     * How many other copies of its session were tried for message i, none of them decrypting it.
     *
     * @param i the message's position in the batch
     * @return the number of other copies that failed too; 0 when it decrypted or there were none
     */
    public int otherCopiesFailed(int i) {
        base(i);
        return Math.max(0, -batch.copyOutcome(i));
    }

    /**
     * Null when message i decrypted; otherwise the exception describing why not.
     *
     * @param i the message's position in the batch
     * @return the failure, or null
     */
    public PanolmException error(int i) {
        Failure f = failure(i);
        if (f == null) {
            return null;
        }
        if (f.reason() != null) {
            return new PanolmException(f.status(), "message " + i + ", " + f.reason());
        }
        StringBuilder context = new StringBuilder("message ").append(i);
        if (f.eventId() != null) {
            context.append(", event ").append(f.eventId());
        }
        if (f.sessionId() != null) {
            context.append(", session ").append(f.sessionId());
        }
        if (f.messageIndex() != null) {
            context.append(", message index ").append(f.messageIndex());
        }
        if (f.otherCopiesFailed() > 0) {
            context.append(", and ").append(f.otherCopiesFailed())
                    .append(f.otherCopiesFailed() == 1 ? " other copy" : " other copies").append(" of the session failed too");
        }
        return new PanolmException(f.status(), context.toString());
    }

    /**
     * Why message i failed, as data rather than a sentence (for callers that present errors their own way).
     * Allocates: for errors and reports.
     *
     * @param i the message's position in the batch
     * @return the failure, or null when the message decrypted
     */
    public Failure failure(int i) {
        int code = statusCode(i);
        if (code == 0) {
            return null;
        }
        Status status = STATUSES[code];
        String reason = batch.javaReason(i);
        if (reason != null) {
            return new Failure(status, eventId(i), null, null, reason, 0);
        }
        return new Failure(status, eventId(i), batch.sessionIdOf(i), parsed(status) ? messageIndex(i) : null, null,
                otherCopiesFailed(i));
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
    public record Failure(Status status, String eventId, String sessionId, Long messageIndex, String reason,
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
        public Failure(Status status, String eventId, String sessionId, Long messageIndex, String reason) {
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

    private void requireOk(int i) {
        PanolmException e = error(i);
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
    public String eventId(int i) {
        base(i);
        MemorySegment m = batch.messageSegment();
        long mb = MESSAGE.byteSize() * i;
        int len = m.get(JAVA_INT, mb + M_EVENT_ID_LENGTH);
        if (len == 0) {
            return null;
        }
        long at = m.get(JAVA_LONG, mb + M_EVENT_ID_OFFSET);
        MemorySegment in = batch.input();
        if (at < 0 || at + len > in.byteSize()) {
            return null;
        }
        return new String(in.asSlice(at, len).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    }
}
