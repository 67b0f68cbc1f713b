package org.panolm.backup;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.panolm.Status;
import org.panolm.bindings.panolm_backup_h;

/** The C entry points never trust a length or offset: bad layouts are refused before any work, garbage fails per item. */
class BackupNativeArgumentsTest {

    @Test
    void batchLayoutsAreCheckedBeforeAnyWork() {
        try (Arena arena = Arena.ofConfined(); var key = BackupDecryptionKey.generate()) {
            MemorySegment pub = arena.allocateFrom(JAVA_BYTE, key.publicKey().bytes());
            MemorySegment in = arena.allocate(64);
            MemorySegment out = arena.allocate(128);
            MemorySegment outLengths = arena.allocate(JAVA_LONG, 2);
            MemorySegment eph = arena.allocate(64);
            MemorySegment macs = arena.allocate(16);
            MemorySegment statuses = arena.allocate(JAVA_INT, 2);
            MemorySegment outOffsets = arena.allocateFrom(JAVA_LONG, 0, 64, 128);

            assertEquals(Status.INVALID_ARGUMENT.code(), panolm_backup_h.panolm_backup_encrypt_batch(pub, 2, in, 64,
                    arena.allocateFrom(JAVA_LONG, 0, 40, 30), out, 128, outOffsets, outLengths, eph, macs, statuses, 1),
                    "decreasing offsets");
            assertEquals(Status.INVALID_ARGUMENT.code(), panolm_backup_h.panolm_backup_encrypt_batch(pub, 2, in, 64,
                    arena.allocateFrom(JAVA_LONG, 0, 30, 65), out, 128, outOffsets, outLengths, eph, macs, statuses, 1),
                    "offsets beyond the input");
            assertEquals(Status.OUTPUT_TOO_SMALL.code(), panolm_backup_h.panolm_backup_encrypt_batch(pub, 2, in, 64,
                    arena.allocateFrom(JAVA_LONG, 0, 48, 64), out, 128, arena.allocateFrom(JAVA_LONG, 0, 48, 128),
                    outLengths, eph, macs, statuses, 1), "a 48-byte item needs a 64-byte slot");
            assertEquals(Status.INVALID_ARGUMENT.code(), panolm_backup_h.panolm_backup_encrypt_batch(pub, 2, in, 64,
                    arena.allocateFrom(JAVA_LONG, 0, 30, 60), MemorySegment.NULL, 0, outOffsets, outLengths, eph, macs,
                    statuses, 1), "no output");
            assertEquals(Status.TOO_LARGE.code(), panolm_backup_h.panolm_backup_decrypt_batch(pub, 1, in, 64,
                    arena.allocateFrom(JAVA_LONG, 0, (1L << 24) + 1), eph, macs, out, 128, outLengths, statuses, 1),
                    "an item above the limit");
            assertEquals(Status.OUTPUT_TOO_SMALL.code(), panolm_backup_h.panolm_backup_decrypt_batch(pub, 1, in, 64,
                    arena.allocateFrom(JAVA_LONG, 0, 64), eph, macs, out, 63, outLengths, statuses, 1));
            // Empty items with no buffers at all: each fails (a CBC ciphertext is never empty), nothing is touched.
            MemorySegment st = arena.allocate(JAVA_INT, 2);
            assertEquals(0, panolm_backup_h.panolm_backup_decrypt_batch(pub, 2, MemorySegment.NULL, 0,
                    arena.allocateFrom(JAVA_LONG, 0, 0, 0), eph, macs, MemorySegment.NULL, 0, outLengths, st, 2));
            assertNotEquals(0, st.getAtIndex(JAVA_INT, 0));
            assertNotEquals(0, st.getAtIndex(JAVA_INT, 1));
            assertEquals(0, panolm_backup_h.panolm_backup_decrypt_batch(pub, 0, MemorySegment.NULL, 0,
                    arena.allocateFrom(JAVA_LONG, 0), MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, 0,
                    MemorySegment.NULL, MemorySegment.NULL, 0), "an empty batch");
        }
    }

    @Test
    void randomGarbageFailsItemByItemWithoutHarm() {
        Random random = new Random(7);
        int n = 300;
        try (Arena arena = Arena.ofConfined(); var key = BackupDecryptionKey.generate()) {
            long[] offsets = new long[n + 1];
            for (int i = 0; i < n; i++) offsets[i + 1] = offsets[i] + random.nextInt(70);
            byte[] garbage = new byte[(int) offsets[n]];
            random.nextBytes(garbage);
            byte[] ephs = new byte[32 * n], macs = new byte[8 * n];
            random.nextBytes(ephs);
            random.nextBytes(macs);
            MemorySegment priv = arena.allocateFrom(JAVA_BYTE, key.toBytes());
            MemorySegment out = arena.allocate(Math.max(1, garbage.length));
            MemorySegment statuses = arena.allocate(JAVA_INT, n);
            MemorySegment lengths = arena.allocate(JAVA_LONG, n);
            assertEquals(0, panolm_backup_h.panolm_backup_decrypt_batch(priv, n,
                    arena.allocateFrom(JAVA_BYTE, garbage), garbage.length, arena.allocateFrom(JAVA_LONG, offsets),
                    arena.allocateFrom(JAVA_BYTE, ephs), arena.allocateFrom(JAVA_BYTE, macs), out, out.byteSize(),
                    lengths, statuses, 2));
            for (int i = 0; i < n; i++) {
                int s = statuses.getAtIndex(JAVA_INT, i);
                assertNotEquals(0, s, "item " + i);
                assertEquals(0, lengths.getAtIndex(JAVA_LONG, i));
            }
            for (long i = 0; i < out.byteSize(); i++) assertEquals(0, out.get(JAVA_BYTE, i), "failed items leave zeros");
            priv.fill((byte) 0);
        }
    }

    /**
     * Offsets rewritten by another thread during the call: the library reads the arrays once into private
     * memory and checks and uses only that copy. Before, it checked the caller's array and then read it
     * again per item, so a racer's out-of-range offset made it write ciphertext outside the output (a
     * SIGSEGV of the JVM). Now each call either refuses the layout as a whole or encrypts every item where
     * the valid offsets say.
     */
    @Test
    void offsetsRewrittenDuringTheCallAreReadOnce() throws Exception {
        int n = 64;
        int item = 100;
        try (Arena arena = Arena.ofShared(); var key = BackupDecryptionKey.generate()) {
            MemorySegment pub = arena.allocateFrom(JAVA_BYTE, key.publicKey().bytes());
            MemorySegment in = arena.allocate((long) n * item);
            long slot = 112;
            MemorySegment out = arena.allocate(n * slot);
            long[] inAt = new long[n + 1];
            long[] outAt = new long[n + 1];
            for (int i = 0; i <= n; i++) {
                inAt[i] = (long) i * item;
                outAt[i] = i * slot;
            }
            MemorySegment offsets = arena.allocateFrom(JAVA_LONG, inAt);
            MemorySegment outOffsets = arena.allocateFrom(JAVA_LONG, outAt);
            MemorySegment lengths = arena.allocate(JAVA_LONG, n);
            MemorySegment eph = arena.allocate(32L * n);
            MemorySegment macs = arena.allocate(8L * n);
            MemorySegment statuses = arena.allocate(JAVA_INT, n);
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread racer = Thread.ofPlatform().start(() -> {
                Random rnd = new Random(3);
                long[] hostile = {1L << 40, -1L, Long.MAX_VALUE, n * slot + 1};
                while (!stop.get()) {
                    int i = 1 + rnd.nextInt(n);
                    boolean output = rnd.nextBoolean();
                    MemorySegment target = output ? outOffsets : offsets;
                    target.setAtIndex(JAVA_LONG, i, hostile[rnd.nextInt(hostile.length)]);
                    Thread.onSpinWait();
                    target.setAtIndex(JAVA_LONG, i, output ? outAt[i] : inAt[i]);
                }
            });
            int ran = 0;
            int refused = 0;
            try {
                // A refused call returns in microseconds: on a loaded machine a burst of them can all fall
                // while the racer is descheduled holding a hostile offset. So call until enough calls ran
                // (or a time bound), yielding after each refusal so the racer moves on.
                long deadline = System.nanoTime() + 20_000_000_000L;
                for (int call = 0; ran < 100 && (call < 200 || System.nanoTime() < deadline); call++) {
                    int rc = panolm_backup_h.panolm_backup_encrypt_batch(pub, n, in, in.byteSize(), offsets, out,
                            out.byteSize(), outOffsets, lengths, eph, macs, statuses, 2);
                    if (rc == 0) {
                        for (int i = 0; i < n; i++) {
                            assertEquals(0, statuses.getAtIndex(JAVA_INT, i));
                            assertEquals(112, lengths.getAtIndex(JAVA_LONG, i), "a 100-byte item, padded");
                        }
                        ran++;
                    } else {
                        assertTrue(rc == Status.INVALID_ARGUMENT.code() || rc == Status.TOO_LARGE.code()
                                || rc == Status.OUTPUT_TOO_SMALL.code(), "status " + rc);
                        refused++;
                        Thread.yield();
                    }
                }
            } finally {
                stop.set(true);
                racer.join();
            }
            assertTrue(ran > 0, ran + " calls ran, " + refused + " refused");
        }
    }
}
