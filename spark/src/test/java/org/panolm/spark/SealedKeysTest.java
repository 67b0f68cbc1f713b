package org.panolm.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.panolm.cli.keys.KeyRing;
import org.panolm.export.ExportedRoomKey;
import org.panolm.megolm.KeyProvenance;
import org.panolm.megolm.MegolmOutboundSession;

/** Sealing of room keys for their trip through Spark, and the message index read for sorting. */
class SealedKeysTest {
    @Test
    void sealedKeysOpenOnlyWithTheJobKeyAndTheirOwnSession() {
        SealedKeys seal = SealedKeys.generate();
        byte[] plain = "the keys".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = seal.seal("SESSION_A", plain);
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("the keys"));
        assertArrayEquals(plain, seal.open("SESSION_A", sealed));
        assertThrows(IllegalStateException.class, () -> seal.open("SESSION_B", sealed), "moved to another session");
        assertThrows(IllegalStateException.class, () -> SealedKeys.generate().open("SESSION_A", sealed), "another job");
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> seal.open("SESSION_A", tampered));
        assertThrows(IllegalStateException.class, () -> seal.open("SESSION_A", new byte[5]));
        assertEquals("SealedKeys[job key hidden]", seal.toString());
    }

    @Test
    void aSessionsKeysSurviveTheTripAndJoinAnExecutorsKeyRing() throws Exception {
        try (MegolmOutboundSession out = MegolmOutboundSession.create(); KeyRing ring = new KeyRing()) {
            byte[] signed = out.sessionKey().bytes();
            byte[] exported = java.util.Arrays.copyOf(signed, org.panolm.megolm.ExportedSessionKey.LENGTH);
            exported[0] = org.panolm.megolm.ExportedSessionKey.VERSION;
            ExportedRoomKey key = new ExportedRoomKey(ExportedRoomKey.MEGOLM_V1, "!r:x", "senderkey", out.sessionId(),
                    new org.panolm.megolm.ExportedSessionKey(exported).toBase64(), java.util.Map.of("ed25519", "claimed"),
                    List.of(), null);
            KeyProvenance provenance = new KeyProvenance.ImportedFromFile("keys.json", null);
            SealedKeys seal = SealedKeys.generate();
            // The job key travels inside the task: it must serialise.
            new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(seal);
            byte[] sealed = seal.seal(out.sessionId(), SessionKeys.serialise(List.of(new SessionKeys.Read(key, provenance, "keys.json key 1"))));
            SessionKeys.addTo(ring, seal, out.sessionId(), sealed);
            assertEquals(1, ring.size());
            assertEquals(provenance, ring.records("!r:x", out.sessionId()).get(0).provenance());
        }
    }

    @Test
    void theMessageIndexIsReadFromTheCiphertextHeader() {
        try (MegolmOutboundSession out = MegolmOutboundSession.create()) {
            for (int i = 0; i < 300; i++) {
                String ct = out.encrypt("{}");
                assertEquals(i, CiphertextIndex.of(ct), "index " + i);
            }
        }
        assertEquals(-1, CiphertextIndex.of(null));
        assertEquals(-1, CiphertextIndex.of(""));
        assertEquals(-1, CiphertextIndex.of("not base64 at all!"));
        assertEquals(-1, CiphertextIndex.of("BAg"), "another version");
        assertTrue(CiphertextIndex.of("AwiAgICAgICAgIAB") == -1, "an index past 32 bits");
    }
}
