package org.panolm.megolm;

import static java.lang.foreign.MemorySegment.NULL;
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
import java.util.Base64;
import java.util.EnumSet;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.panolm.Status;
import org.panolm.bindings.panolm_megolm_h;

/**
 * Every native Megolm entry point fed truncated, oversized, random and null inputs: each answers with a
 * status code, reads nothing outside what it was given (exact-size native buffers; the same inputs run
 * under AddressSanitizer in the hardening build), and never crashes the JVM.
 */
class MegolmNativeRobustnessTest {
    private static final int OK = 0;
    private static final int INVALID = Status.INVALID_ARGUMENT.code();

    private static Status status(int code) {
        return Status.fromCode(code);
    }

    private static MemorySegment copy(Arena a, byte[] b) {
        return b.length == 0 ? a.allocate(1).asSlice(0, 0) : a.allocateFrom(JAVA_BYTE, b);
    }

    @Test
    void sessionKeyAndExportParsers() {
        SplittableRandom rnd = new SplittableRandom(11);
        EnumSet<Status> allowed = EnumSet.of(Status.OK, Status.BAD_KEY, Status.BAD_VERSION, Status.BAD_SIGNATURE);
        byte[] valid;
        try (MegolmOutboundSession out = MegolmOutboundSession.create()) {
            valid = out.sessionKey().bytes();
        }
        for (int i = 0; i < 3000; i++) {
            byte[] b;
            switch (i % 4) {
                case 0 -> { b = new byte[rnd.nextInt(400)]; rnd.nextBytes(b); }
                case 1 -> b = java.util.Arrays.copyOf(valid, rnd.nextInt(400));
                case 2 -> { b = valid.clone(); b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8)); }
                default -> { b = java.util.Arrays.copyOf(valid, 165); b[0] = 1; if (rnd.nextBoolean()) b = java.util.Arrays.copyOf(b, rnd.nextInt(300)); }
            }
            try (Arena a = Arena.ofConfined()) {
                MemorySegment out = a.allocate(ADDRESS);
                for (boolean signed : new boolean[] {true, false}) {
                    int rc = signed
                            ? panolm_megolm_h.panolm_megolm_inbound_from_session_key(copy(a, b), b.length, out)
                            : panolm_megolm_h.panolm_megolm_inbound_import(copy(a, b), b.length, out);
                    assertTrue(allowed.contains(status(rc)), "status " + status(rc));
                    if (rc == OK) {
                        panolm_megolm_h.panolm_megolm_inbound_free(out.get(ADDRESS, 0));
                    }
                }
            }
        }
        try (Arena a = Arena.ofConfined()) {
            assertEquals(INVALID, panolm_megolm_h.panolm_megolm_inbound_from_session_key(NULL, 229, a.allocate(ADDRESS)));
            assertEquals(INVALID, panolm_megolm_h.panolm_megolm_inbound_import(copy(a, valid), 165, NULL));
            assertEquals(Status.BAD_KEY.code(), panolm_megolm_h.panolm_megolm_inbound_import(NULL, 0, a.allocate(ADDRESS)));
        }
    }

    @Test
    void decryptOfGarbageAndDamagedMessages() {
        SplittableRandom rnd = new SplittableRandom(12);
        EnumSet<Status> allowed = EnumSet.of(Status.OK, Status.BAD_BASE64, Status.BAD_VERSION, Status.TRUNCATED,
                Status.BAD_MESSAGE_FORMAT, Status.BAD_SIGNATURE, Status.REPLAYED_INDEX, Status.ROOM_MISMATCH,
                Status.BAD_EVENT);
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession in = MegolmInboundSession.create(out.sessionKey())) {
            MemorySegment session = in.acquire();
            try {
                for (int i = 0; i < 3000; i++) {
                    byte[] text;
                    switch (i % 5) {
                        case 0 -> { text = new byte[rnd.nextInt(600)]; for (int k = 0; k < text.length; k++) text[k] = (byte) rnd.nextInt(256); }
                        case 1 -> { byte[] raw = new byte[rnd.nextInt(600)]; rnd.nextBytes(raw); if (raw.length > 0) raw[0] = 3;
                                    text = Base64.getEncoder().withoutPadding().encode(raw); }
                        case 2 -> { String m = out.encrypt(new byte[rnd.nextInt(100)]); text = m.substring(0, rnd.nextInt(m.length() + 1)).getBytes(StandardCharsets.US_ASCII); }
                        case 3 -> { byte[] raw = Base64.getDecoder().decode(out.encrypt("{\"room_id\":\"!r:x\"}"));
                                    raw[1 + rnd.nextInt(raw.length - 1)] = (byte) rnd.nextInt(256);
                                    text = Base64.getEncoder().withoutPadding().encode(raw); }
                        default -> text = out.encrypt("{\"room_id\":\"!" + (char) ('a' + rnd.nextInt(3)) + "\"}").getBytes(StandardCharsets.US_ASCII);
                    }
                    try (Arena a = Arena.ofConfined()) {
                        long cap = panolm_megolm_h.panolm_megolm_decrypt_max_plaintext_length(text.length);
                        MemorySegment plain = a.allocate(cap);
                        MemorySegment len = a.allocate(JAVA_LONG);
                        MemorySegment index = a.allocate(JAVA_INT);
                        byte[] ev = ("$" + rnd.nextInt(5)).getBytes(StandardCharsets.US_ASCII);
                        byte[] room = "!a".getBytes(StandardCharsets.US_ASCII);
                        int rc = panolm_megolm_h.panolm_megolm_inbound_decrypt(session, copy(a, text), text.length,
                                copy(a, ev), ev.length, copy(a, room), room.length, plain, cap, len, index);
                        assertTrue(allowed.contains(status(rc)), "status " + status(rc));
                        if (rc == OK) assertTrue(len.get(JAVA_LONG, 0) <= cap);
                        if (cap > 0) {
                            assertEquals(Status.OUTPUT_TOO_SMALL.code(), panolm_megolm_h.panolm_megolm_inbound_decrypt(session,
                                    copy(a, text), text.length, NULL, 0, NULL, 0, plain, cap - 1, len, index));
                        }
                    }
                }
                try (Arena a = Arena.ofConfined()) {
                    MemorySegment len = a.allocate(JAVA_LONG);
                    MemorySegment index = a.allocate(JAVA_INT);
                    assertEquals(INVALID, panolm_megolm_h.panolm_megolm_inbound_decrypt(NULL, NULL, 0, NULL, 0, NULL, 0, a.allocate(8), 8, len, index));
                    assertEquals(INVALID, panolm_megolm_h.panolm_megolm_inbound_decrypt(session, NULL, 10, NULL, 0, NULL, 0, a.allocate(16), 16, len, index));
                    assertEquals(INVALID, panolm_megolm_h.panolm_megolm_inbound_decrypt(session, a.allocate(4), 4, NULL, 3, NULL, 0, a.allocate(16), 16, len, index));
                    assertEquals(Status.TOO_LARGE.code(), panolm_megolm_h.panolm_megolm_inbound_decrypt(session, a.allocate(4), 1L << 40, NULL, 0, NULL, 0, a.allocate(16), 16, len, index));
                    assertEquals(Status.TOO_LARGE.code(), panolm_megolm_h.panolm_megolm_inbound_bind_room(session, a.allocate(300), 300));
                    assertEquals(INVALID, panolm_megolm_h.panolm_megolm_inbound_export(session, 5, NULL));
                    assertEquals(INVALID, panolm_megolm_h.panolm_megolm_inbound_export(NULL, 5, a.allocate(165)));
                }
            } finally {
                in.release();
            }
        }
    }

    @Test
    void outboundAndRatchetArguments() {
        try (MegolmOutboundSession out = MegolmOutboundSession.create(); Arena a = Arena.ofConfined()) {
            assertEquals(INVALID, panolm_megolm_h.panolm_megolm_outbound_encrypt(NULL, NULL, 0, a.allocate(400), 400, a.allocate(JAVA_LONG)));
            assertEquals(INVALID, panolm_megolm_h.panolm_megolm_outbound_session_key(NULL, a.allocate(229)));
            assertEquals(INVALID, panolm_megolm_h.panolm_megolm_outbound_public_key(NULL, a.allocate(32)));
            assertEquals(INVALID, panolm_megolm_h.panolm_megolm_outbound_from_parts(NULL, 0, a.allocate(32), a.allocate(ADDRESS)));
            assertEquals(INVALID, panolm_megolm_h.panolm_megolm_outbound_new(NULL));
            assertEquals(INVALID, panolm_megolm_h.panolm_megolm_ratchet_advance(NULL, a.allocate(4)));
            assertEquals(INVALID, panolm_megolm_h.panolm_megolm_ratchet_advance_to(a.allocate(128), NULL, 5));
            assertEquals(INVALID, panolm_megolm_h.panolm_megolm_message_keys(NULL, a.allocate(80)));
            assertEquals(0, panolm_megolm_h.panolm_megolm_encrypted_length(1L << 40), "too large: no length");
            panolm_megolm_h.panolm_megolm_outbound_free(NULL);
            panolm_megolm_h.panolm_megolm_inbound_free(NULL);
            assertEquals(Status.TOO_LARGE, assertThrowsStatus(() -> out.encryptToAscii(new byte[64 * 1024 * 1024 + 1])));
        }
    }

    private static Status assertThrowsStatus(Runnable r) {
        return org.junit.jupiter.api.Assertions.assertThrows(org.panolm.PanolmException.class, r::run).status();
    }

    @Test
    void batchWithRandomDescriptors() {
        SplittableRandom rnd = new SplittableRandom(13);
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession in = MegolmInboundSession.create(out.sessionKey());
             Arena a = Arena.ofConfined()) {
            MemorySegment session = in.acquire();
            try {
                byte[] ct = out.encrypt("{\"room_id\":\"!r\"}").getBytes(StandardCharsets.US_ASCII);
                MemorySegment input = copy(a, ct);
                MemorySegment table = a.allocate(ADDRESS, 2);
                table.setAtIndex(ADDRESS, 0, session);
                table.setAtIndex(ADDRESS, 1, NULL);
                int n = 64;
                MemorySegment messages = a.allocate(MESSAGE, n);
                MemorySegment results = a.allocate(RESULT, n);
                for (int round = 0; round < 200; round++) {
                    for (int i = 0; i < n; i++) {
                        long b = MESSAGE.byteSize() * i;
                        boolean sane = rnd.nextBoolean();
                        messages.set(JAVA_LONG, b + M_CIPHERTEXT_OFFSET, sane ? 0 : rnd.nextLong());
                        messages.set(JAVA_INT, b + M_CIPHERTEXT_LENGTH, sane ? ct.length - rnd.nextInt(3) : rnd.nextInt(ct.length * 2));
                        messages.set(JAVA_LONG, b + M_EVENT_ID_OFFSET, rnd.nextInt(ct.length + 10));
                        messages.set(JAVA_INT, b + M_EVENT_ID_LENGTH, rnd.nextInt(8));
                        messages.set(JAVA_LONG, b + M_ROOM_ID_OFFSET, sane ? 0 : Long.MAX_VALUE - rnd.nextInt(3));
                        messages.set(JAVA_INT, b + M_ROOM_ID_LENGTH, rnd.nextInt(3));
                        messages.set(JAVA_INT, b + M_SESSION, rnd.nextInt(4) - 1);
                    }
                    long bound = panolm_megolm_h.panolm_megolm_batch_output_length(messages, n);
                    MemorySegment output = a.allocate(Math.max(bound, 1)).asSlice(0, bound);
                    assertEquals(Status.OUTPUT_TOO_SMALL.code(), panolm_megolm_h.panolm_megolm_batch_decrypt(table, 2, input,
                            input.byteSize(), messages, n, output, bound - 1, results, 2));
                    assertEquals(OK, panolm_megolm_h.panolm_megolm_batch_decrypt(table, 2, input, input.byteSize(),
                            messages, n, output, bound, results, 1 + round % 2));
                    for (int i = 0; i < n; i++) {
                        long rb = RESULT.byteSize() * i;
                        Status st = status(results.get(JAVA_INT, rb + R_STATUS));
                        assertTrue(st != Status.INTERNAL && st != Status.OUTPUT_TOO_SMALL, st.name());
                        long off = results.get(JAVA_LONG, rb + R_PLAINTEXT_OFFSET);
                        int len = results.get(JAVA_INT, rb + R_PLAINTEXT_LENGTH);
                        assertTrue(off + len <= bound);
                        if (st != Status.OK) assertEquals(0, len);
                    }
                }
                assertEquals(INVALID, panolm_megolm_h.panolm_megolm_batch_decrypt(NULL, 2, input, input.byteSize(),
                        messages, n, a.allocate(1), 1, results, 1));
                assertEquals(INVALID, panolm_megolm_h.panolm_megolm_batch_decrypt(table, 2, input, input.byteSize(),
                        NULL, n, a.allocate(1), 1, results, 1));
                assertEquals(Status.TOO_LARGE.code(), panolm_megolm_h.panolm_megolm_batch_decrypt(table, 2, input,
                        input.byteSize(), messages, 1L << 33, a.allocate(1), 1, results, 1));
                assertEquals(OK, panolm_megolm_h.panolm_megolm_batch_decrypt(NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0));
            } finally {
                in.release();
            }
        }
    }
}
