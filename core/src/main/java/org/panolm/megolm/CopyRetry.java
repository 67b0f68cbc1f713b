package org.panolm.megolm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.panolm.megolm.BatchLayout.*;

import java.lang.foreign.MemorySegment;

import org.panolm.Status;

/**
 * The second chance a message gets when its session is held in several copies that do not connect (at
 * most one of them is the sender's): after the batch ran with each slot's first copy, the messages that
 * failed {@code BAD_MAC} or {@code UNKNOWN_INDEX} go through follow-up batches over the same input, one per
 * other copy, until a copy decrypts them. A plaintext found this way is copied into the place the first
 * batch reserved for it, so the results read exactly as if the first batch had decrypted it. The common
 * case (one copy per session) never gets here; the retry allocates, the first batch does not.
 */
final class CopyRetry {
    private CopyRetry() {}

    static void retry(PreparedBatch batch, CopySlots copySlots, int threads, MemorySegment out) {
        int n = batch.size();
        MemorySegment results = batch.resultSegment();
        MemorySegment messages = batch.messageSegment();
        int[] pending = new int[16];
        int pendingCount = 0;
        for (int i = 0; i < n; i++) {
            if (batch.javaStatus(i) != 0 || copySlots.of(slotOf(messages, i)) == null) continue;
            int status = results.get(JAVA_INT, RESULT.byteSize() * i + R_STATUS);
            if (status != Status.BAD_MAC.code() && status != Status.UNKNOWN_INDEX.code()) continue;
            if (pendingCount == pending.length) pending = java.util.Arrays.copyOf(pending, pendingCount * 2);
            pending[pendingCount++] = i;
        }
        for (int round = 1; pendingCount > 0 && round <= copySlots.max(); round++) {
            int[] positions = new int[pendingCount];
            int m = 0;
            try (PreparedBatch again = PreparedBatch.over(batch.input(), pendingCount)) {
                for (int k = 0; k < pendingCount; k++) {
                    int i = pending[k];
                    MegolmInboundSession[] copies = copySlots.of(slotOf(messages, i));
                    if (copies.length < round || copies[round - 1].isClosed()) continue;
                    long mb = MESSAGE.byteSize() * i;
                    again.add(again.session(copies[round - 1]),
                            messages.get(JAVA_LONG, mb + M_CIPHERTEXT_OFFSET),
                            messages.get(JAVA_INT, mb + M_CIPHERTEXT_LENGTH),
                            messages.get(JAVA_LONG, mb + M_EVENT_ID_OFFSET),
                            messages.get(JAVA_INT, mb + M_EVENT_ID_LENGTH),
                            messages.get(JAVA_LONG, mb + M_ROOM_ID_OFFSET),
                            messages.get(JAVA_INT, mb + M_ROOM_ID_LENGTH));
                    positions[m++] = i;
                }
                if (m == 0) break;
                BatchResults r = again.run(threads, null);
                int still = 0;
                for (int k = 0; k < m; k++) {
                    int i = positions[k];
                    if (r.isOk(k)) {
                        long rb = RESULT.byteSize() * i;
                        int length = r.plaintextLength(k);
                        MemorySegment.copy(r.output(), r.plaintextOffset(k), out,
                                results.get(JAVA_LONG, rb + R_PLAINTEXT_OFFSET), length);
                        results.set(JAVA_INT, rb + R_PLAINTEXT_LENGTH, length);
                        results.set(JAVA_INT, rb + R_MESSAGE_INDEX, (int) r.messageIndex(k));
                        results.set(JAVA_INT, rb + R_STATUS, 0);
                        copySlots.outcome(i, round);
                    } else {
                        copySlots.outcome(i, -round);
                        pending[still++] = i;
                    }
                }
                pendingCount = still;
            }
        }
    }

    private static int slotOf(MemorySegment messages, int i) {
        return messages.get(JAVA_INT, MESSAGE.byteSize() * i + M_SESSION);
    }
}
