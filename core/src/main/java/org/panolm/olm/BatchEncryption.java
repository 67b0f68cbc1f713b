package org.panolm.olm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_olm_h;
import org.panolm.internal.NativeStatus;

/**
 * Encrypts one templated payload for many Olm sessions in one native call spread over the cores: the
 * {@code m.room_key} share of a Megolm session to every device of a room. Each recipient's message is
 * exactly what {@link Session#encrypt} of {@link PayloadTemplate#fill} of its values would give.
 *
 * <p>Outcomes are per recipient, in input order: a session that is closed, or that fails, gives a
 * failed {@link Result} and the others go on. Sessions stay leased (a concurrent {@code close()} waits)
 * until the call returns; the plaintexts are wiped from native memory before it does.
 */
public final class BatchEncryption {
    private BatchEncryption() {}

    /**
     * One recipient.
     *
     * @param session its Olm session
     * @param values the values of the template's holes, in order
     */
    public record Recipient(Session session, List<byte[]> values) {
        /**
         * Checks the session is given and copies the list.
         *
         * @param session its Olm session
         * @param values the values of the template's holes, in order
         */
        public Recipient {
            Objects.requireNonNull(session, "session");
            values = List.copyOf(values);
        }
    }

    /**
     * One recipient's outcome: on success its message type and its message as the event carries it
     * (unpadded base64 {@code body}); otherwise the status (detail: {@link #error()}).
     *
     * @param status {@link Status#OK} or why this recipient failed
     * @param type the message type (null on failure)
     * @param body the message as the event's {@code body} (null on failure)
     */
    public record Result(Status status, OlmMessage.Type type, String body) {
        /**
         * Whether this recipient's message was made.
         *
         * @return true for {@link Status#OK}
         */
        public boolean ok() {
            return status == Status.OK;
        }

        /**
         * The message, decoded.
         *
         * @return the message
         * @throws PanolmException when this recipient failed
         */
        public OlmMessage message() {
            if (!ok()) throw new OlmException(error(), "batch encryption failed for this recipient");
            return OlmMessage.fromBase64(type.code(), body);
        }

        /**
         * The Olm-level reason of a failure.
         *
         * @return {@link OlmError#SUCCESS} when it did not fail
         */
        public OlmError error() {
            return ok() ? OlmError.SUCCESS : OlmError.ofMessage(status);
        }
    }

    private static final long SPAN = 16;
    private static final long RESULT = 24;

    /**
     * As {@link #encrypt(PayloadTemplate, List, int)} on every core.
     *
     * @param template the payload's fixed pieces
     * @param recipients the sessions and values
     * @return one result per recipient, in order
     */
    public static List<Result> encrypt(PayloadTemplate template, List<Recipient> recipients) {
        return encrypt(template, recipients, 0);
    }

    /**
     * Encrypts {@code template}, filled with each recipient's values, for every recipient.
     *
     * @param template the payload's fixed pieces
     * @param recipients the sessions and values
     * @param threads 0 for one per core
     * @return one result per recipient, in order
     */
    public static List<Result> encrypt(PayloadTemplate template, List<Recipient> recipients, int threads) {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(recipients, "recipients");
        if (threads < 0) throw new PanolmException(Status.INVALID_ARGUMENT, "threads must be 0 or more");
        int holes = template.holes();
        int count = recipients.size();
        List<byte[]> pieces = template.piecesUnsafe();
        long inputLength = 0;
        for (byte[] p : pieces) inputLength += p.length;
        for (Recipient r : recipients) {
            if (r.values().size() != holes) {
                throw new PanolmException(Status.INVALID_ARGUMENT,
                        "a recipient has " + r.values().size() + " values for " + holes + " holes");
            }
            for (byte[] v : r.values()) inputLength += v.length;
        }
        if (count == 0) return List.of();

        List<Session> leased = new ArrayList<>(count);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment input = arena.allocate(Math.max(1, inputLength));
            MemorySegment pieceSpans = arena.allocate(SPAN * pieces.size(), 8);
            MemorySegment valueSpans = arena.allocate(Math.max(1, SPAN * count * holes), 8);
            long at = 0;
            for (int h = 0; h < pieces.size(); h++) {
                at = put(input, at, pieces.get(h), pieceSpans, h);
            }
            for (int k = 0; k < count; k++) {
                List<byte[]> values = recipients.get(k).values();
                for (int h = 0; h < holes; h++) at = put(input, at, values.get(h), valueSpans, (long) k * holes + h);
            }
            MemorySegment sessions = arena.allocate(ADDRESS, count);
            for (int k = 0; k < count; k++) {
                Session s = recipients.get(k).session();
                MemorySegment address = MemorySegment.NULL;
                try {
                    address = s.acquire();
                    leased.add(s);
                } catch (IllegalStateException closed) {
                    // NULL: UNKNOWN_SESSION for this recipient only
                }
                sessions.setAtIndex(ADDRESS, k, address);
            }
            long outputLength = panolm_olm_h.panolm_olm_batch_output_length(input.byteSize(), pieceSpans, holes,
                    valueSpans, count);
            if (outputLength == 0) throw new PanolmException(Status.TOO_LARGE, "a plaintext is above the limit");
            MemorySegment output = arena.allocate(outputLength);
            MemorySegment results = arena.allocate(RESULT * count, 8);
            int rc = panolm_olm_h.panolm_olm_batch_encrypt(sessions, count, input, input.byteSize(), pieceSpans, holes,
                    valueSpans, output, outputLength, results, threads);
            input.fill((byte) 0);
            NativeStatus.check(rc, "batch encryption for " + count + " recipients");
            List<Result> out = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                long base = RESULT * k;
                Status status = Status.fromCode(results.get(JAVA_INT, base + 16));
                if (status != Status.OK) {
                    out.add(new Result(status, null, null));
                    continue;
                }
                long offset = results.get(JAVA_LONG, base);
                int length = results.get(JAVA_INT, base + 8);
                OlmMessage.Type type = OlmMessage.Type.fromCode(results.get(JAVA_INT, base + 12));
                out.add(new Result(status, type, new String(output.asSlice(offset, length).toArray(JAVA_BYTE),
                        StandardCharsets.US_ASCII)));
            }
            return out;
        } finally {
            for (Session s : leased) s.release();
        }
    }

    private static long put(MemorySegment input, long at, byte[] bytes, MemorySegment spans, long index) {
        MemorySegment.copy(bytes, 0, input, JAVA_BYTE, at, bytes.length);
        spans.set(JAVA_LONG, SPAN * index, at);
        spans.set(JAVA_LONG, SPAN * index + 8, bytes.length);
        return at + bytes.length;
    }
}
