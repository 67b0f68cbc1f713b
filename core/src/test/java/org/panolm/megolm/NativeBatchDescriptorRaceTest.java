package org.panolm.megolm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panolm.megolm.BatchLayout.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.panolm.Status;
import org.panolm.bindings.panolm_megolm_h;

/**
 * The native batch reads its message descriptors from caller memory that another thread may be rewriting
 * (a caller sharing a batch, or a hostile one). Each offset and length must be read once, checked and then
 * used as copied: before that fix, a thread flipping descriptors between valid and far-out-of-range values
 * during the call made the library read and write outside the buffers (a SIGSEGV of the JVM). Every
 * message now ends either decrypted exactly as its valid descriptor says, or refused with a status.
 */
class NativeBatchDescriptorRaceTest {
    private static final int MESSAGES = 128;
    private static final int CALLS = 100;

    @Test
    void descriptorsRewrittenDuringTheCallAreReadOnce() throws Exception {
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession in = MegolmInboundSession.create(out.sessionKey());
             Arena arena = Arena.ofShared()) {
            byte[][] ciphertexts = new byte[MESSAGES][];
            long inputLength = 0;
            for (int i = 0; i < MESSAGES; i++) {
                ciphertexts[i] = out.encrypt("{\"n\":" + i + "}").getBytes(StandardCharsets.US_ASCII);
                inputLength += ciphertexts[i].length + 8;
            }
            MemorySegment input = arena.allocate(inputLength);
            MemorySegment messages = arena.allocate(MESSAGE.byteSize() * MESSAGES, 8);
            MemorySegment valid = arena.allocate(MESSAGE.byteSize() * MESSAGES, 8);
            long at = 0;
            long bound = 0;
            for (int i = 0; i < MESSAGES; i++) {
                MemorySegment.copy(ciphertexts[i], 0, input, JAVA_BYTE, at, ciphertexts[i].length);
                byte[] id = ("$e" + i).getBytes(StandardCharsets.US_ASCII);
                MemorySegment.copy(id, 0, input, JAVA_BYTE, at + ciphertexts[i].length, id.length);
                long m = MESSAGE.byteSize() * i;
                valid.set(JAVA_LONG, m + M_CIPHERTEXT_OFFSET, at);
                valid.set(JAVA_INT, m + M_CIPHERTEXT_LENGTH, ciphertexts[i].length);
                valid.set(JAVA_LONG, m + M_EVENT_ID_OFFSET, at + ciphertexts[i].length);
                valid.set(JAVA_INT, m + M_EVENT_ID_LENGTH, id.length);
                valid.set(JAVA_LONG, m + M_ROOM_ID_OFFSET, 0);
                valid.set(JAVA_INT, m + M_ROOM_ID_LENGTH, 0);
                valid.set(JAVA_INT, m + M_SESSION, 0);
                at += ciphertexts[i].length + 8;
                bound += plaintextBound(ciphertexts[i].length);
            }
            // Room for the longest ciphertext length the racer writes, so the call itself is always accepted.
            MemorySegment output = arena.allocate(bound + MESSAGES * 4096L);
            MemorySegment results = arena.allocate(RESULT.byteSize() * MESSAGES, 8);
            MemorySegment sessions = arena.allocate(ADDRESS);

            long inputEnd = inputLength;
            AtomicBoolean stop = new AtomicBoolean();
            AtomicBoolean inCall = new AtomicBoolean();
            AtomicLong loops = new AtomicLong();
            // Rewrites one descriptor at a time to a hostile value and back, all the time; during a call it also
            // scribbles over the results of even positions, which the library must never read back.
            Thread racer = Thread.ofPlatform().start(() -> {
                Random rnd = new Random(1);
                long[] hostile = {1L << 40, -1L, inputEnd, inputEnd - 1, Long.MAX_VALUE};
                while (!stop.get()) {
                    int k = rnd.nextInt(MESSAGES);
                    long m = MESSAGE.byteSize() * k;
                    switch (rnd.nextInt(5)) {
                        case 0 -> messages.set(JAVA_LONG, m + M_CIPHERTEXT_OFFSET, hostile[rnd.nextInt(hostile.length)]);
                        case 1 -> messages.set(JAVA_LONG, m + M_EVENT_ID_OFFSET, hostile[rnd.nextInt(hostile.length)]);
                        case 2 -> messages.set(JAVA_LONG, m + M_ROOM_ID_OFFSET, hostile[rnd.nextInt(hostile.length)]);
                        case 3 -> messages.set(JAVA_INT, m + M_ROOM_ID_LENGTH, 1 + rnd.nextInt(5000));
                        default -> messages.set(JAVA_INT, m + M_CIPHERTEXT_LENGTH, rnd.nextInt(4000));
                    }
                    if (inCall.get()) {
                        int e = k & ~1;
                        results.set(JAVA_LONG, RESULT.byteSize() * e + R_PLAINTEXT_OFFSET, 1L << 40);
                        results.set(JAVA_INT, RESULT.byteSize() * e + R_PLAINTEXT_LENGTH, Integer.MAX_VALUE);
                    }
                    Thread.onSpinWait();
                    MemorySegment.copy(valid, m, messages, m, MESSAGE.byteSize());
                    loops.incrementAndGet();
                }
            });
            int decrypted = 0;
            int refused = 0;
            try {
                for (int call = 0; call < CALLS; call++) {
                    sessions.set(ADDRESS, 0, in.acquire());
                    int rc;
                    inCall.set(true);
                    try {
                        rc = panolm_megolm_h.panolm_megolm_batch_decrypt(sessions, 1, input, inputLength, messages,
                                MESSAGES, output, output.byteSize(), results, 2);
                    } finally {
                        inCall.set(false);
                        in.release();
                    }
                    // Let the racer finish a scribble begun during the call before reading.
                    for (long seen = loops.get(); loops.get() < seen + 2; ) Thread.onSpinWait();
                    assertEquals(0, rc);
                    for (int i = 1; i < MESSAGES; i += 2) {
                        int status = results.get(JAVA_INT, RESULT.byteSize() * i + R_STATUS);
                        if (status == Status.OK.code()) {
                            long offset = results.get(JAVA_LONG, RESULT.byteSize() * i + R_PLAINTEXT_OFFSET);
                            int length = results.get(JAVA_INT, RESULT.byteSize() * i + R_PLAINTEXT_LENGTH);
                            assertEquals("{\"n\":" + i + "}", new String(output.asSlice(offset, length)
                                    .toArray(JAVA_BYTE), StandardCharsets.UTF_8));
                            decrypted++;
                        } else {
                            // Whatever the copy it took said: out of range, or a ciphertext cut elsewhere.
                            assertTrue(status > 0 && status < Status.values().length, "message " + i + ": " + status);
                            refused++;
                        }
                    }
                }
            } finally {
                stop.set(true);
                racer.join();
            }
            assertTrue(decrypted > 0 && refused > 0, decrypted + " decrypted, " + refused + " refused");
        }
    }
}
