package org.panolm.megolm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.subtle.SecureRandomBytes;

/**
 * {@link ExportedSessionKey#connects}: the merge rule's proof that two copies of a session are one ratchet.
 * A forged copy (the right session id and signing key, a ratchet of its own) never connects.
 */
class SessionCopiesConnectTest {

    /** The same session at {@code index} with a random ratchet: what an attacker who knows the session id can make. */
    static ExportedSessionKey forged(ExportedSessionKey genuine, long index) {
        byte[] b = genuine.bytes();
        ByteBuffer.wrap(b, 1, 4).putInt((int) index);
        System.arraycopy(SecureRandomBytes.next(128), 0, b, 5, 128);
        return new ExportedSessionKey(b);
    }

    @Test
    void copiesOfOneRatchetConnectAtAnyDistanceBothWays() {
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession in = MegolmInboundSession.create(out.sessionKey())) {
            // Across every part boundary of the four-part ratchet, and the far end of the index range.
            List<Long> indices = List.of(0L, 1L, 255L, 256L, 257L, 65_535L, 65_536L, 16_777_215L, 16_777_216L,
                    0x7FFF_FFFFL, 0xFFFF_FFFFL);
            for (long a : indices) {
                for (long b : indices) {
                    ExportedSessionKey ka = in.exportAt(a), kb = in.exportAt(b);
                    assertTrue(ka.connects(kb), a + " -> " + b);
                }
            }
        }
    }

    @Test
    void aForgedCopyConnectsToNothing() {
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession in = MegolmInboundSession.create(out.sessionKey())) {
            Random random = new Random(7);
            for (int i = 0; i < 200; i++) {
                long held = random.nextInt(1 << 20);
                long forgedAt = random.nextBoolean() ? 0 : random.nextInt(1 << 20);
                ExportedSessionKey genuine = in.exportAt(held);
                ExportedSessionKey fake = forged(genuine, forgedAt);
                assertEquals(genuine.sessionId(), fake.sessionId());
                assertFalse(fake.connects(genuine), forgedAt + " vs " + held);
                assertFalse(genuine.connects(fake), held + " vs " + forgedAt);
            }
            // One bit of the ratchet is enough while that part still matters...
            byte[] flipped = in.exportAt(3).bytes();
            flipped[5] ^= 1;
            assertFalse(new ExportedSessionKey(flipped).connects(in.exportAt(3)));
            assertFalse(new ExportedSessionKey(flipped).connects(in.exportAt(900)));
            // ...but a part the advance reseeds is forgotten: a copy wrong only in R3 at index 3 reaches the
            // genuine ratchet at 256, so from there on it decrypts exactly what the genuine copy does.
            byte[] lowPart = in.exportAt(3).bytes();
            lowPart[5 + 127] ^= 1;
            assertFalse(new ExportedSessionKey(lowPart).connects(in.exportAt(255)));
            assertTrue(new ExportedSessionKey(lowPart).connects(in.exportAt(256)));
        }
    }

    @Test
    void anotherSessionNeverConnects() {
        try (MegolmOutboundSession a = MegolmOutboundSession.create();
             MegolmOutboundSession b = MegolmOutboundSession.create();
             MegolmInboundSession ia = MegolmInboundSession.create(a.sessionKey());
             MegolmInboundSession ib = MegolmInboundSession.create(b.sessionKey())) {
            assertFalse(ia.exportAt(0).connects(ib.exportAt(0)));
            // The same ratchet under another signing key is another session.
            byte[] other = ia.exportAt(0).bytes();
            System.arraycopy(ib.exportAt(0).bytes(), 133, other, 133, 32);
            assertFalse(ia.exportAt(0).connects(new ExportedSessionKey(other)));
        }
    }

    @Test
    void exportsMadeByLibolmConnectToOurs() {
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession ours = MegolmInboundSession.create(out.sessionKey());
             InboundGroupSession libolm = InboundGroupSession.create(out.sessionKey())) {
            assertTrue(libolm.export(70_000).connects(ours.exportAt(5)));
            assertTrue(ours.exportAt(0).connects(libolm.export(1_000_000)));
        }
    }

    @Test
    void malformedExportsAreRefusedNatively() {
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession in = MegolmInboundSession.create(out.sessionKey())) {
            ExportedSessionKey k = in.exportAt(0);
            try (var arena = java.lang.foreign.Arena.ofConfined()) {
                var good = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, k.bytes());
                var shortKey = good.asSlice(0, 164);
                var flag = arena.allocate(java.lang.foreign.ValueLayout.JAVA_INT);
                assertEquals(Status.BAD_KEY.code(), org.panolm.bindings.panolm_megolm_h.panolm_megolm_export_connects(
                        good, 165, shortKey, 164, flag));
                byte[] v2 = k.bytes();
                v2[0] = 2;
                var wrongVersion = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, v2);
                assertEquals(Status.BAD_VERSION.code(), org.panolm.bindings.panolm_megolm_h.panolm_megolm_export_connects(
                        wrongVersion, 165, good, 165, flag));
                assertEquals(Status.INVALID_ARGUMENT.code(), org.panolm.bindings.panolm_megolm_h.panolm_megolm_export_connects(
                        good, 165, good, 165, java.lang.foreign.MemorySegment.NULL));
            }
            assertThrows(PanolmException.class, () -> new ExportedSessionKey(new byte[164]));
        }
    }
}
