package org.panolm.megolm;

import org.panolm.internal.NativeHandle;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_megolm_h;

/** The Java session types: round trips, replay and room rules, key checks, closing, no secrets in text. */
class MegolmSessionTest {

    private static Status statusOf(Runnable r) {
        return assertThrows(PanolmException.class, r::run).status();
    }

    @Test
    void roundTripAndIndices() {
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession in = MegolmInboundSession.create(out.sessionKey())) {
            assertEquals(out.sessionId(), in.sessionId());
            for (int i = 0; i < 20; i++) {
                assertEquals(i, out.messageIndex());
                String text = "message " + i;
                DecryptedMessage m = in.decrypt(out.encrypt(text));
                assertEquals(text, m.plaintextUtf8());
                assertEquals(i, m.messageIndex());
            }
            assertEquals("", in.decrypt(out.encrypt(new byte[0])).plaintextUtf8());
        }
    }

    @Test
    void historyOlderThanTheLatestStaysReachable() {
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession in = MegolmInboundSession.create(out.sessionKey())) {
            String[] messages = new String[600];
            for (int i = 0; i < messages.length; i++) messages[i] = out.encrypt("m" + i);
            for (int i = messages.length - 1; i >= 0; i -= 7) {
                assertEquals("m" + i, in.decrypt(messages[i]).plaintextUtf8());
            }
            assertEquals("m599", in.decrypt(messages[599]).plaintextUtf8());
            assertEquals("m0", in.decrypt(messages[0]).plaintextUtf8());
        }
    }

    @Test
    void replayUnderAnotherEventIdIsRefusedTheSameEventDecrypts() {
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession in = MegolmInboundSession.create(out.sessionKey())) {
            String m = out.encrypt("{\"room_id\":\"!a:x\",\"type\":\"m.room.message\"}");
            assertEquals(0, in.decrypt(m, "$one", "!a:x").messageIndex());
            assertEquals(0, in.decrypt(m, "$one", "!a:x").messageIndex(), "duplicate delivery decrypts");
            PanolmException e = assertThrows(PanolmException.class, () -> in.decrypt(m, "$two", "!a:x"));
            assertEquals(Status.REPLAYED_INDEX, e.status());
            assertEquals("$two", e.detail().eventId(), e.getMessage());
            assertEquals(0L, e.detail().index(), e.getMessage());
            assertTrue(e.getMessage().contains("$two") && e.getMessage().contains("index 0"), e.getMessage());
            assertEquals(1, in.replayEntries());
            // without an event id there is no bookkeeping, as libolm
            assertEquals(0, in.decrypt(m).messageIndex());
        }
    }

    @Test
    void failedDecryptionsDoNotClaimAnIndex() {
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession in = MegolmInboundSession.create(out.sessionKey())) {
            String m = out.encrypt("{\"room_id\":\"!a:x\"}");
            assertEquals(Status.ROOM_MISMATCH, statusOf(() -> in.decrypt(m, "$forged", "!b:x")));
            assertEquals(0, in.replayEntries());
            assertEquals(0, in.decrypt(m, "$real", "!a:x").messageIndex());
        }
    }

    @Test
    void roomRules() {
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession in = MegolmInboundSession.create(out.sessionKey(), "!a:x")) {
            assertEquals("!a:x", in.roomId().orElseThrow());
            String good = out.encrypt("{\"type\":\"m.room.message\",\"content\":{\"room_id\":\"!nested:x\"},\"room_id\":\"!a:x\"}");
            String escaped = out.encrypt("{\"room\\u005fid\":\"\\u0021a:x\"}");
            String other = out.encrypt("{\"room_id\":\"!b:x\"}");
            String missing = out.encrypt("{\"content\":{\"room_id\":\"!a:x\"}}");
            String notJson = out.encrypt("plain text");
            String twice = out.encrypt("{\"room_id\":\"!a:x\",\"room_id\":\"!b:x\"}");
            assertEquals(0, in.decrypt(good, "$1", "!a:x").messageIndex());
            assertEquals(1, in.decrypt(escaped, "$2", "!a:x").messageIndex());
            assertEquals(Status.ROOM_MISMATCH, statusOf(() -> in.decrypt(other, "$3", "!a:x")));
            assertEquals(Status.ROOM_MISMATCH, statusOf(() -> in.decrypt(missing, "$4", "!a:x")));
            assertEquals(Status.BAD_EVENT, statusOf(() -> in.decrypt(notJson, "$5", "!a:x")));
            assertEquals(Status.ROOM_MISMATCH, statusOf(() -> in.decrypt(twice, "$6", "!a:x")));
            // the session belongs to !a:x: an event of another room is refused before any crypto
            assertEquals(Status.ROOM_MISMATCH, statusOf(() -> in.decrypt(good, "$7", "!b:x")));
            assertEquals(Status.ROOM_MISMATCH, statusOf(() -> in.bindToRoom("!b:x")));
            in.bindToRoom("!a:x");
            // no room given: no room check
            assertEquals("plain text", in.decrypt(notJson).plaintextUtf8());
        }
    }

    @Test
    void sessionKeysAreChecked() {
        try (MegolmOutboundSession out = MegolmOutboundSession.create()) {
            byte[] key = out.sessionKey().bytes();
            key[100] ^= 1;
            assertEquals(Status.BAD_SIGNATURE, statusOf(() -> MegolmInboundSession.create(new SessionKey(key)).close()));
            key[100] ^= 1;
            key[200] ^= 1;
            assertEquals(Status.BAD_SIGNATURE, statusOf(() -> MegolmInboundSession.create(new SessionKey(key)).close()));
        }
        assertEquals(Status.BAD_KEY, statusOf(() -> SessionKey.fromBase64("AgAAAA")));
        assertEquals(Status.BAD_VERSION, statusOf(() -> new SessionKey(new byte[SessionKey.LENGTH])));
    }

    @Test
    void importedSessionsAreUnverifiedUntilAMessageDecrypts() {
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession signed = MegolmInboundSession.create(out.sessionKey())) {
            String m0 = out.encrypt("zero");
            String m1 = out.encrypt("one");
            try (MegolmInboundSession imported = MegolmInboundSession.importSession(signed.exportAt(1))) {
                assertFalse(imported.isVerified());
                assertEquals(1, imported.firstKnownIndex());
                assertEquals(Status.UNKNOWN_INDEX, statusOf(() -> imported.decrypt(m0)));
                assertEquals(Status.UNKNOWN_INDEX, statusOf(() -> imported.exportAt(0)));
                assertEquals("one", imported.decrypt(m1).plaintextUtf8());
                assertTrue(imported.isVerified());
                assertEquals(signed.exportAt(1), imported.export());
            }
        }
    }

    @Test
    void useAfterCloseThrowsAndCloseIsIdempotent() {
        MegolmOutboundSession out = MegolmOutboundSession.create();
        MegolmInboundSession in = MegolmInboundSession.create(out.sessionKey());
        String m = out.encrypt("x");
        out.close();
        out.close();
        in.close();
        in.close();
        assertTrue(out.isClosed() && in.isClosed());
        assertThrows(IllegalStateException.class, () -> out.encrypt("y"));
        assertThrows(IllegalStateException.class, out::sessionKey);
        assertThrows(IllegalStateException.class, () -> in.decrypt(m));
        assertThrows(IllegalStateException.class, () -> in.exportAt(0));
    }

    /**
     * Several threads use one session and close it at once: the native object is freed exactly once, and
     * never while a call still holds it. The session's own handle is watched by giving a real native session
     * to a {@link NativeHandle} (the mechanism every native-backed Megolm type uses) whose free is counted;
     * then the public type is driven the same way. Under the sanitized run a second free or a use after the
     * free would also abort the JVM.
     */
    @Test
    void closingFromManyThreadsFreesOnce() throws Exception {
        for (int round = 0; round < 50; round++) {
            try (MegolmOutboundSession out = MegolmOutboundSession.create(); Arena arena = Arena.ofConfined()) {
                MemorySegment key = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, out.sessionKey().bytes());
                MemorySegment slot = arena.allocate(java.lang.foreign.ValueLayout.ADDRESS);
                assertEquals(0, panolm_megolm_h.panolm_megolm_inbound_from_session_key(key, key.byteSize(), slot));
                MemorySegment address = slot.get(java.lang.foreign.ValueLayout.ADDRESS, 0);
                AtomicInteger frees = new AtomicInteger();
                AtomicInteger leases = new AtomicInteger();
                AtomicInteger freedWhileLeased = new AtomicInteger();
                Object owner = new Object();
                NativeHandle handle = new NativeHandle(owner, address, a -> {
                    if (leases.get() != 0) freedWhileLeased.incrementAndGet();
                    frees.incrementAndGet();
                    panolm_megolm_h.panolm_megolm_inbound_free(a);
                }, "session");
                AtomicInteger calls = new AtomicInteger();
                Thread[] threads = new Thread[4];
                for (int t = 0; t < threads.length; t++) {
                    threads[t] = Thread.ofPlatform().start(() -> {
                        for (int k = 0; k < 20; k++) {
                            MemorySegment s;
                            try {
                                s = handle.acquire();
                            } catch (IllegalStateException closed) {
                                break;
                            }
                            leases.incrementAndGet();
                            panolm_megolm_h.panolm_megolm_inbound_first_known_index(s);
                            calls.incrementAndGet();
                            leases.decrementAndGet();
                            handle.release();
                        }
                        handle.close();
                    });
                }
                for (Thread t : threads) t.join();
                assertEquals(1, frees.get(), "freed exactly once");
                assertEquals(0, freedWhileLeased.get(), "never while a call held it");
                assertTrue(handle.isClosed() && calls.get() > 0);
                assertThrows(IllegalStateException.class, handle::acquire);
                handle.close();
                assertEquals(1, frees.get(), "a later close frees nothing");
                java.lang.ref.Reference.reachabilityFence(owner);
            }
        }
        // The public type, closed by four threads while they decrypt: each call decrypts or is refused.
        for (int round = 0; round < 20; round++) {
            try (MegolmOutboundSession out = MegolmOutboundSession.create()) {
                MegolmInboundSession in = MegolmInboundSession.create(out.sessionKey());
                String m = out.encrypt("x");
                AtomicInteger decrypted = new AtomicInteger();
                AtomicInteger wrong = new AtomicInteger();
                Thread[] threads = new Thread[4];
                for (int t = 0; t < threads.length; t++) {
                    threads[t] = Thread.ofPlatform().start(() -> {
                        try {
                            if (in.decrypt(m).plaintextUtf8().equals("x")) decrypted.incrementAndGet();
                            else wrong.incrementAndGet();
                        } catch (IllegalStateException closed) {
                            // raced with close: refused, as documented
                        }
                        in.close();
                    });
                }
                for (Thread t : threads) t.join();
                assertEquals(0, wrong.get());
                assertTrue(in.isClosed());
                assertThrows(IllegalStateException.class, () -> in.decrypt(m));
            }
        }
    }

    @Test
    void textNeverShowsKeyMaterial() {
        byte[] ratchet = new byte[128];
        java.util.Arrays.fill(ratchet, (byte) 0x5A);
        byte[] seed = new byte[32];
        java.util.Arrays.fill(seed, (byte) 0x42);
        try (MegolmOutboundSession out = MegolmOutboundSession.fromParts(ratchet, 0, seed);
             MegolmInboundSession in = MegolmInboundSession.create(out.sessionKey())) {
            String ratchetB64 = Base64.getEncoder().encodeToString(ratchet).substring(0, 20);
            String ratchetHex = HexFormat.of().formatHex(ratchet).substring(0, 20);
            for (String text : new String[] {out.toString(), in.toString(), out.sessionKey().toString(),
                    in.export().toString()}) {
                assertFalse(text.contains(ratchetB64) || text.contains(ratchetHex) || text.contains("WlpaWlpa"), text);
                assertTrue(text.contains(out.sessionId()), text);
            }
            PanolmException e = assertThrows(PanolmException.class, () -> in.decrypt("AwgAEgAA"));
            assertFalse(e.getMessage().contains("WlpaWlpa"));
        }
    }

    @Test
    void malformedCiphertexts() {
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession in = MegolmInboundSession.create(out.sessionKey())) {
            assertEquals(Status.BAD_BASE64, statusOf(() -> in.decrypt("A")));
            assertEquals(Status.BAD_BASE64, statusOf(() -> in.decrypt("Awg*")));
            assertEquals(Status.TRUNCATED, statusOf(() -> in.decrypt("")));
            assertEquals(Status.BAD_VERSION, statusOf(() -> in.decrypt("BAgAEgAA")));
            assertEquals(Status.TRUNCATED, statusOf(() -> in.decrypt("AwgAEgAA")));
            byte[] m = Base64.getDecoder().decode(out.encrypt("hello"));
            // an index varint longer than 32 bits
            byte[] overlong = new byte[m.length + 5];
            overlong[0] = 3;
            overlong[1] = 0x08;
            for (int i = 2; i < 7; i++) overlong[i] = (byte) 0xFF;
            overlong[7] = 0x7F;
            System.arraycopy(m, 3, overlong, 8, m.length - 3);
            assertEquals(Status.BAD_MESSAGE_FORMAT, statusOf(() -> in.decrypt(Base64.getEncoder().encodeToString(overlong))));
            // padded base64 is accepted, as the spec asks
            String padded = Base64.getEncoder().encodeToString(m);
            assertArrayEquals("hello".getBytes(), in.decrypt(padded).plaintext());
        }
    }
}
