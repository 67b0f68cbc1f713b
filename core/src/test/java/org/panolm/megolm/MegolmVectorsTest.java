package org.panolm.megolm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_megolm_h;

/** Known answers: the ratchet vectors of libolm and vodozemac and the message vectors of docs/formats.md §10.1 and §10.2. */
class MegolmVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    /** A ratchet and its counter in native memory. */
    private static final class Ratchet implements AutoCloseable {
        final Arena arena = Arena.ofConfined();
        final MemorySegment r;
        final MemorySegment c;

        Ratchet(byte[] bytes, long counter) {
            r = arena.allocateFrom(JAVA_BYTE, bytes);
            c = arena.allocate(JAVA_INT);
            c.set(JAVA_INT, 0, (int) counter);
        }

        Ratchet advance() {
            assertEquals(0, panolm_megolm_h.panolm_megolm_ratchet_advance(r, c));
            return this;
        }

        Ratchet advanceTo(long target) {
            assertEquals(0, panolm_megolm_h.panolm_megolm_ratchet_advance_to(r, c, (int) target));
            return this;
        }

        String hex() {
            return HEX.formatHex(r.toArray(JAVA_BYTE));
        }

        long counter() {
            return Integer.toUnsignedLong(c.get(JAVA_INT, 0));
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    private static byte[] libolmTestRatchet() {
        return "0123456789ABCDEF".repeat(8).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void libolmRatchetVectors() {
        String input = HEX.formatHex(libolmTestRatchet());
        try (Ratchet a = new Ratchet(libolmTestRatchet(), 0); Ratchet b = new Ratchet(libolmTestRatchet(), 0)) {
            a.advance();
            b.advanceTo(1);
            assertEquals(1, a.counter());
            assertEquals(a.hex(), b.hex());
            assertEquals(input.substring(0, 192), a.hex().substring(0, 192), "R0..R2 unchanged");
            assertEquals("ba9cd955741d1c162323ec825e7c5ce889bbb423a18f23828fb2090d6e2af86a", a.hex().substring(192));

            a.advanceTo(0x1000000);
            assertEquals("54022d7dc0298e1637e21c97153092f933c056ff74fe1b922d971f2482c2859c"
                    + "7004c01ee49bd6efe0073525af9b1632c5be726d12349cc5bd472bdc2df6540f"
                    + "3112591194fda617e568c683101eaecd7eddd6de1fbc0767ae34da1a09a54eab"
                    + "ba9cd955741d1c162323ec825e7c5ce889bbb423a18f23828fb2090d6e2af86a", a.hex());
            a.advanceTo(0x1041506);
            assertEquals(0x1041506, a.counter());
            assertEquals("54022d7dc0298e1637e21c97153092f933c056ff74fe1b922d971f2482c2859c"
                    + "55588df5b7a48878428927868164589f3663447b51edc3595b036ca604c46dcd"
                    + "5c54850bfa98a1fd79a9df1cbe8fc5681937d30c85c8c31f7bb828816cf9ff3b"
                    + "956cbf807e65126a49558d45c84a2e4cd56f03e24416b98e1cfd97c206aa907a", a.hex());
        }
    }

    @Test
    void libolmWraparoundVectors() {
        try (Ratchet a = new Ratchet(libolmTestRatchet(), 0xFFFFFFFFL); Ratchet b = new Ratchet(libolmTestRatchet(), 0)) {
            a.advanceTo(0x1000000);
            b.advanceTo(0x2000000);
            assertEquals(b.hex(), a.hex(), "advance wraparound");
            assertEquals(0x1000000, a.counter());
        }
        try (Ratchet a = new Ratchet(libolmTestRatchet(), 0xFFFFFFFFL); Ratchet b = new Ratchet(libolmTestRatchet(), 0xFFFFFFFFL)) {
            a.advanceTo(0);
            b.advance();
            assertEquals(b.hex(), a.hex(), "advance overflow by one");
            assertEquals(0, a.counter());
        }
        try (Ratchet a = new Ratchet(libolmTestRatchet(), 1); Ratchet b = new Ratchet(libolmTestRatchet(), 1)) {
            a.advanceTo(0x80000000L).advanceTo(0);
            b.advanceTo(0);
            assertEquals(b.hex(), a.hex(), "advance overflow");
        }
    }

    @Test
    void vodozemacAdvancingBack() {
        try (Ratchet a = new Ratchet(new byte[128], 0)) {
            a.advance();
            assertEquals("a6d76548fe8ed070bb909d99999aab3123ea3de416a2d58bcefb8f867962bb86", a.hex().substring(192));
            a.advanceTo(0);
            assertEquals(0, a.counter());
            assertEquals("17ac8ac069c0fc4415c8ed131bb7a40cade4030777e680d9e55c53d8058316bc"
                    + "9fa34f8ae350133fa3247480506deb68792c4a3adbb2cbfa5ead4a8d52e30697"
                    + "a23504ef05f544ce66171ec6e38a3a6fad9774da800c310e5d86f9766310873496c0b630e5a1f723d01b289dfa3f724a"
                    + "cf85bc2c73dc9d9a65dc4ffa18cd1a5a", a.hex());
        }
    }

    @Test
    void advanceToOneMoreEqualsOneStep() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        for (int i = 0; i < 300; i++) {
            byte[] bytes = new byte[128];
            rnd.nextBytes(bytes);
            long start = i < 100 ? rnd.nextLong(1L << 32) : (rnd.nextLong(1L << 24) << 8) | 0xFF;
            try (Ratchet a = new Ratchet(bytes, start); Ratchet b = new Ratchet(bytes, start)) {
                a.advance();
                b.advanceTo((start + 1) & 0xFFFFFFFFL);
                assertEquals(a.hex(), b.hex());
                assertEquals(a.counter(), b.counter());
            }
        }
    }

    private static final String LIBOLM_SESSION_KEY = "AgAAAAAwMTIzNDU2Nzg5QUJERUYwMTIzNDU2Nzg5QUJDREVGMDEyMzQ1Njc4OUFCREVGMDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkRFRjAxMjM0NTY3ODlBQkNERUYwMTIzNDU2Nzg5QUJERUYwMTIzNDU2Nzg5QUJDREVGMDEyMw0bdg1BDq4Px/slBow06q8n/B9WBfwWYyNOB8DlUmXGGwrFmaSb9bR/eY8xgERrxmP07hFmD9uqA2p8PMHdnV5ysmgufE6oLZ5+8/mWQOW3VVTnDIlnwd8oHUYRuk8TCQ";

    @Test
    void libolmGroupSessionVector() {
        try (MegolmInboundSession s = MegolmInboundSession.create(SessionKey.fromBase64(LIBOLM_SESSION_KEY))) {
            assertEquals("DRt2DUEOrg/H+yUGjDTqryf8H1YF/BZjI04HwOVSZcY", s.sessionId());
            assertEquals(0, s.firstKnownIndex());
            assertTrue(s.isVerified());
            DecryptedMessage m = s.decrypt("AwgAEhAcbh6UpbByoyZxufQ+h2B+8XHMjhR69G8F4+qjMaFlnIXusJZX3r8LnRORG9T3DXFdbVuvIWrLyRfm4i8QRbe8VPwGRFG57B1CtmxanuP8bHtnnYqlwPsD");
            assertEquals("Message", m.plaintextUtf8());
            assertEquals(0, m.messageIndex());
            assertEquals("AQAAAAAwMTIzNDU2Nzg5QUJERUYwMTIzNDU2Nzg5QUJDREVGMDEyMzQ1Njc4OUFCREVGMDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkRFRjAxMjM0NTY3ODlBQkNERUYwMTIzNDU2Nzg5QUJERUYwMTIzNDU2Nzg5QUJDREVGMDEyMw0bdg1BDq4Px/slBow06q8n/B9WBfwWYyNOB8DlUmXG",
                    s.exportAt(0).toBase64());
        }
    }

    @Test
    void messageUnderAnotherKeyHasABadSignature() {
        // libolm "Invalid signature group message": a valid message checked against another session's key
        try (MegolmOutboundSession other = MegolmOutboundSession.create();
             MegolmInboundSession s = MegolmInboundSession.create(other.sessionKey())) {
            PanolmException e = assertThrows(PanolmException.class, () -> s.decrypt(
                    "AwgAEhAcbh6UpbByoyZxufQ+h2B+8XHMjhR69G8F4+qjMaFlnIXusJZX3r8LnRORG9T3DXFdbVuvIWrLyRfm4i8QRbe8VPwGRFG57B1CtmxanuP8bHtnnYqlwPsD"));
            assertEquals(Status.BAD_SIGNATURE, e.status());
        }
    }

    @Test
    void matrixJsSdkVector() {
        ExportedSessionKey key = ExportedSessionKey.fromBase64("AQAAAABXGO+Z9jlQJhIL6ByhXrv2BwCIxkhh7MXpKLsYmXkJcWrQlirmXmD79ga1zo+I4DCtEZzyGSpDWXBC6G7ez3H4gDMBam1RE3Jm5tc+oTlIri32UkYgSL0kBkcEnttqmIXBlK8tAfJo3cJnlh7F4ltEOAqrdME6dU0zXTkqXmURqYqXSOmbP+w8xUxIYgNohmjA3x5CGApXql0+i/uXtf3K");
        try (MegolmInboundSession s = MegolmInboundSession.importSession(key)) {
            assertEquals("ipdI6Zs/7DzFTEhiA2iGaMDfHkIYCleqXT6L+5e1/co", s.sessionId());
            assertFalse(s.isVerified());
            DecryptedMessage m = s.decrypt("AwgAEnAkBmciEAyhh1j6DCk29UXJ7kv/kvayUNfuNT0iAioLxcXjFXOZ5ho3jF1/wrytlt0Lb298uMM67OxdVMi+/mMfYpwlvi07P9cIH6CMSj8tyhYoWl0SrKY6tkPf5GWOlRSRRKbziXa96FHXvnA3V2FCAIGtAe3G4ei5RPbhkmKAFBLAen33/D6MjJVqU8Ojr5vTkgls5eyirarlVpsmnH06alDaxO8avrU0NL+Vsw26xvlUQgEMOnUJ",
                    "$event", "!room:id");
            assertEquals("{\"content\":{\"body\":\"Hello world\",\"msgtype\":\"m.text\"},\"room_id\":\"!room:id\",\"type\":\"m.room.message\"}",
                    m.plaintextUtf8());
            assertEquals(0, m.messageIndex());
            assertTrue(s.isVerified());
        }
    }

    @Test
    void selfGeneratedVector() {
        byte[] ratchet = new byte[128];
        for (int i = 0; i < 128; i++) ratchet[i] = (byte) i;
        byte[] seed = new byte[32];
        java.util.Arrays.fill(seed, (byte) 0x42);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment keys = arena.allocate(80);
            assertEquals(0, panolm_megolm_h.panolm_megolm_message_keys(arena.allocateFrom(JAVA_BYTE, ratchet), keys));
            assertEquals("936418041488c70ca7a6fb8c6ffac0020eeca7356ed04f06ca84ace81776e2b6"
                    + "bd4c437d69a1aaccb7d41dac1e083fe2d68539c394715fdb1e36d042c49956ea"
                    + "42e91ecaab5792d4ec020e9411e97e27", HEX.formatHex(keys.toArray(JAVA_BYTE)));
        }
        try (MegolmOutboundSession out = MegolmOutboundSession.fromParts(ratchet, 0, seed)) {
            assertEquals("IVL40Zt5HSRFMkLhXy6rbLfP+ntqXtMAl5YOBpiB2xI", out.sessionId());
            SessionKey key = out.sessionKey();
            assertEquals("AgAAAAAAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9gYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+fyFS+NGbeR0kRTJC4V8uq2y3z/p7al7TAJeWDgaYgdsSuA7zAAUZFvIWuCOkwQJk5/VyiH3ciwppF0TtiJp4yCWFxzJF3wFar7t10uQfwMElxx5jHuseFnlWqS0yWbOBCA",
                    key.toBase64());
            String plaintext = "{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"hi\"},\"room_id\":\"!r:x\"}";
            String m0 = out.encrypt(plaintext);
            assertEquals("AwgAEmBwzrEyOjKMvNnLBG+kZV4Luot5Vaokx/v1twxFzO4CW9aJR5cC+8g8R1fsRURFHMh8ZHGG8nd2uO00XIfXc6zWxjxvin7P8zhHZmXnhJq4uxGGT3G7UKk0tkaaKo7UfQnbztcu/ZtNrCWqwLEpYi/WTWVxEatapygGg/cUY3cMdm6sf0Vg1OzZX2byPZ5U5MKGM4RaV3Qjkn30sFVtH606JEsbGDBmeQU", m0);
            assertEquals("dbced72efd9b4dac", HEX.formatHex(java.util.Base64.getDecoder().decode(m0), 173 - 72, 173 - 64));
            String m1 = out.encrypt("hello");
            assertEquals("AwgBEhCMsXYE5QNbfsfG8dAjj6oMqT8a6PKaTGlfVzjMMLgRsn6HOHJ2pQ3eF03hRmOs6f72KZxJu9MpZCV8kY75k8wJUQ9EtUMzr8iignSRbN0DrK+vGMkQmHcL", m1);
            assertEquals(2, out.messageIndex());
            try (MegolmInboundSession in = MegolmInboundSession.create(key)) {
                assertEquals(plaintext, in.decrypt(m0, "$a", "!r:x").plaintextUtf8());
                assertEquals("hello", in.decrypt(m1).plaintextUtf8());
                ExportedSessionKey at1 = in.exportAt(1);
                assertEquals("AQAAAAEAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9VB0TjNBFfof1z07cRdtQVcohjHLNwRaSf1izQYIyPXSFS+NGbeR0kRTJC4V8uq2y3z/p7al7TAJeWDgaYgdsS",
                        at1.toBase64());
                byte[] r3 = java.util.Arrays.copyOfRange(at1.bytes(), 5 + 96, 5 + 128);
                assertArrayEquals(HEX.parseHex("550744e334115fa1fd73d3b71176d4157288631cb37045a49fd62cd0608c8f5d"), r3);
            }
        }
    }
}
