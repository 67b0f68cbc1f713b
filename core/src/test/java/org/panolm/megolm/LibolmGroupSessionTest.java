package org.panolm.megolm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.olm.OlmError;
import org.panolm.olm.OlmException;

/** libolm-backed Megolm sessions: round trips, pickles, errors. Vectors are in {@link LibolmGroupSessionVectorsTest}. */
class LibolmGroupSessionTest {
    private static final byte[] PICKLE_KEY = "group pickle key".getBytes(StandardCharsets.UTF_8);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void encryptDecryptWithIndices() {
        try (OutboundGroupSession out = OutboundGroupSession.create()) {
            assertEquals(0, out.messageIndex());
            SessionKey key = out.sessionKey();
            assertEquals(0, key.firstIndex());
            assertEquals(out.sessionId(), key.sessionId());
            assertTrue(key.toBase64().startsWith("AgAAAA"), "version 2, index 0");
            byte[][] messages = new byte[40][];
            for (int i = 0; i < messages.length; i++) {
                messages[i] = out.encrypt(new byte[i]);
            }
            assertEquals(40, out.messageIndex());
            try (InboundGroupSession in = InboundGroupSession.create(key)) {
                assertEquals(out.sessionId(), in.sessionId());
                assertTrue(in.isVerified());
                assertEquals(0, in.firstKnownIndex());
                // Out of order, and each one twice: Megolm keeps the earliest ratchet.
                for (int i = messages.length - 1; i >= 0; i--) {
                    for (int k = 0; k < 2; k++) {
                        DecryptedMessage m = in.decrypt(messages[i]);
                        assertEquals(i, m.messageIndex());
                        assertArrayEquals(new byte[i], m.plaintext());
                    }
                }
            }
        }
    }

    @Test
    void sessionKeyLaterInTheRatchetCannotReadEarlierMessages() {
        try (OutboundGroupSession out = OutboundGroupSession.create()) {
            byte[] first = out.encrypt(utf8("first"));
            SessionKey later = out.sessionKey();
            assertEquals(1, later.firstIndex());
            byte[] second = out.encrypt(utf8("second"));
            try (InboundGroupSession in = InboundGroupSession.create(later)) {
                assertEquals(1, in.firstKnownIndex());
                var e = assertThrows(OlmException.class, () -> in.decrypt(first));
                assertEquals(OlmError.UNKNOWN_MESSAGE_INDEX, e.error());
                assertEquals(Status.UNKNOWN_INDEX, e.status());
                assertEquals("second", in.decrypt(second).plaintextUtf8());
            }
        }
    }

    @Test
    void exportAndImport() {
        try (OutboundGroupSession out = OutboundGroupSession.create()) {
            SessionKey key = out.sessionKey();
            byte[] m0 = out.encrypt(utf8("zero"));
            byte[] m1 = out.encrypt(utf8("one"));
            byte[] m2 = out.encrypt(utf8("two"));
            try (InboundGroupSession in = InboundGroupSession.create(key)) {
                ExportedSessionKey at0 = in.export(0);
                ExportedSessionKey at1 = in.export(1);
                assertTrue(at0.toBase64().startsWith("AQAAAA"), "version 1, index 0");
                assertEquals(0, at0.firstIndex());
                assertEquals(1, at1.firstIndex());
                assertEquals(in.sessionId(), at1.sessionId());
                // The v1 export at 0 is the v2 key without its signature and with version 1.
                byte[] expected = java.util.Arrays.copyOf(key.bytes(), ExportedSessionKey.LENGTH);
                expected[0] = 1;
                assertArrayEquals(expected, at0.bytes());

                try (InboundGroupSession imported = InboundGroupSession.importSession(at1)) {
                    assertFalse(imported.isVerified());
                    assertEquals(1, imported.firstKnownIndex());
                    assertEquals(OlmError.UNKNOWN_MESSAGE_INDEX,
                            assertThrows(OlmException.class, () -> imported.decrypt(m0)).error());
                    assertEquals("one", imported.decrypt(m1).plaintextUtf8());
                    assertTrue(imported.isVerified(), "libolm marks the key verified after a decryption");
                    assertEquals("two", imported.decrypt(m2).plaintextUtf8());
                    assertEquals(at1, imported.export(1));
                    assertEquals(OlmError.UNKNOWN_MESSAGE_INDEX,
                            assertThrows(OlmException.class, () -> imported.export(0)).error());
                }
                assertEquals(Status.INVALID_ARGUMENT,
                        assertThrows(PanolmException.class, () -> in.export(-1)).status());
                assertEquals(Status.INVALID_ARGUMENT,
                        assertThrows(PanolmException.class, () -> in.export(1L << 32)).status());
                // libolm compares indices modulo 2^32, within 2^31 of its cached ratchets (docs/formats.md §1.2).
                assertEquals(OlmError.UNKNOWN_MESSAGE_INDEX,
                        assertThrows(OlmException.class, () -> in.export(InboundGroupSession.MAX_INDEX)).error());
                assertEquals(0x7FFF_FFFFL, in.export(0x7FFF_FFFFL).firstIndex());
            }
        }
    }

    @Test
    void picklesRoundTrip() {
        try (OutboundGroupSession out = OutboundGroupSession.create()) {
            SessionKey key = out.sessionKey();
            byte[] m0 = out.encrypt(utf8("zero"));
            String outPickle = out.pickle(PICKLE_KEY);
            try (OutboundGroupSession restored = OutboundGroupSession.fromPickle(outPickle, PICKLE_KEY);
                 InboundGroupSession in = InboundGroupSession.create(key)) {
                assertEquals(out.sessionId(), restored.sessionId());
                assertEquals(1, restored.messageIndex());
                assertEquals(out.sessionKey(), restored.sessionKey());
                byte[] m1 = restored.encrypt(utf8("one"));
                assertEquals(1, in.decrypt(m1).messageIndex());

                String inPickle = in.pickle(PICKLE_KEY);
                try (InboundGroupSession again = InboundGroupSession.fromPickle(inPickle, PICKLE_KEY)) {
                    assertEquals(in.sessionId(), again.sessionId());
                    assertTrue(again.isVerified());
                    assertEquals("zero", again.decrypt(m0).plaintextUtf8());
                    assertEquals(in.export(0), again.export(0));
                }
                assertEquals(OlmError.BAD_ACCOUNT_KEY, assertThrows(OlmException.class,
                        () -> InboundGroupSession.fromPickle(inPickle, utf8("wrong"))).error());
            }
            assertEquals(OlmError.BAD_ACCOUNT_KEY, assertThrows(OlmException.class,
                    () -> OutboundGroupSession.fromPickle(outPickle, utf8("wrong"))).error());
            assertEquals(Status.BAD_BASE64, assertThrows(PanolmException.class,
                    () -> OutboundGroupSession.fromPickle(outPickle + "==", PICKLE_KEY)).status());
        }
    }

    @Test
    void tamperedMessagesAndKeysAreRejected() {
        try (OutboundGroupSession out = OutboundGroupSession.create();
             OutboundGroupSession other = OutboundGroupSession.create()) {
            SessionKey key = out.sessionKey();
            byte[] message = out.encrypt(utf8("secret"));
            try (InboundGroupSession in = InboundGroupSession.create(key)) {
                byte[] flipped = message.clone();
                flipped[10] ^= 1; // inside the ciphertext: the signature fails first
                assertEquals(OlmError.BAD_SIGNATURE, assertThrows(OlmException.class, () -> in.decrypt(flipped)).error());

                byte[] foreign = other.encrypt(utf8("not for you"));
                assertEquals(OlmError.BAD_SIGNATURE, assertThrows(OlmException.class, () -> in.decrypt(foreign)).error());

                byte[] version = message.clone();
                version[0] = 4;
                assertEquals(Status.BAD_VERSION, assertThrows(OlmException.class, () -> in.decrypt(version)).status());

                assertEquals(Status.BAD_MESSAGE_FORMAT,
                        assertThrows(PanolmException.class, () -> in.decrypt(new byte[0])).status());
                assertEquals("secret", in.decrypt(message).plaintextUtf8());
            }

            byte[] badSignature = key.bytes();
            badSignature[SessionKey.LENGTH - 1] ^= 1;
            var e = assertThrows(OlmException.class, () -> InboundGroupSession.create(new SessionKey(badSignature)));
            assertEquals(OlmError.BAD_SIGNATURE, e.error());
            byte[] badRatchet = key.bytes();
            badRatchet[20] ^= 1;
            assertEquals(OlmError.BAD_SIGNATURE,
                    assertThrows(OlmException.class, () -> InboundGroupSession.create(new SessionKey(badRatchet))).error());
        }
    }

    @Test
    void largeMessagesRoundTrip() {
        // Above the size whose native working memory is kept between calls.
        byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
        try (OutboundGroupSession out = OutboundGroupSession.create();
             InboundGroupSession in = InboundGroupSession.create(out.sessionKey())) {
            for (int k = 0; k < 3; k++) {
                assertArrayEquals(big, in.decrypt(out.encrypt(big)).plaintext());
                assertEquals("small", in.decrypt(out.encrypt(utf8("small"))).plaintextUtf8());
            }
        }
    }

    @Test
    void useAfterCloseThrows() {
        OutboundGroupSession out = OutboundGroupSession.create();
        InboundGroupSession in = InboundGroupSession.create(out.sessionKey());
        byte[] message = out.encrypt(utf8("x"));
        out.close();
        out.close();
        in.close();
        in.close();
        assertThrows(IllegalStateException.class, () -> out.encrypt(utf8("x")));
        assertThrows(IllegalStateException.class, out::sessionKey);
        assertThrows(IllegalStateException.class, () -> in.decrypt(message));
        assertThrows(IllegalStateException.class, () -> in.export(0));
        assertThrows(IllegalStateException.class, in::firstKnownIndex);
        assertEquals("OutboundGroupSession[closed]", out.toString());
        assertEquals("InboundGroupSession[closed]", in.toString());
    }

    @Test
    void toStringShowsNoKeyMaterial() {
        try (OutboundGroupSession out = OutboundGroupSession.create();
             InboundGroupSession in = InboundGroupSession.create(out.sessionKey())) {
            String ratchet = MatrixBase64.encode(java.util.Arrays.copyOfRange(out.sessionKey().bytes(), 5, 37));
            assertEquals("OutboundGroupSession[" + out.sessionId() + ", index=0]", out.toString());
            assertEquals("InboundGroupSession[" + in.sessionId() + ", firstKnownIndex=0]", in.toString());
            assertFalse(out.toString().contains(ratchet.substring(0, 10)));
            assertNotEquals(-1, out.toString().indexOf(out.sessionId()));
        }
    }
}
