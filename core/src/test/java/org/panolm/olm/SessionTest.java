package org.panolm.olm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;

class SessionTest {
    private static final byte[] PICKLE_KEY = "session pickle key".getBytes(StandardCharsets.UTF_8);

    private Account alice;
    private Account bob;
    private OneTimeKey bobOneTimeKey;

    @BeforeEach
    void accounts() {
        alice = Account.create();
        bob = Account.create();
        bob.generateOneTimeKeys(1);
        bobOneTimeKey = bob.oneTimeKeys().getFirst();
        bob.markKeysAsPublished();
    }

    @AfterEach
    void close() {
        alice.close();
        bob.close();
    }

    private Session aliceToBob() {
        return Session.createOutbound(alice, bob.identityKeys().curve25519(), bobOneTimeKey.publicKey());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void preKeyThenNormalMessagesBothWays() {
        try (Session out = aliceToBob()) {
            assertFalse(out.hasReceivedMessage());
            OlmMessage first = out.encrypt(utf8("hello bob"));
            OlmMessage second = out.encrypt(utf8("still pre-key"));
            assertEquals(OlmMessage.Type.PRE_KEY, first.type());
            assertEquals(OlmMessage.Type.PRE_KEY, second.type());
            assertTrue(first.bodyBase64().startsWith("Awog"), "pre-key messages start 03 0A 20");

            try (Session in = Session.createInboundFrom(bob, alice.identityKeys().curve25519(), first)) {
                assertEquals(out.sessionId(), in.sessionId());
                assertTrue(in.matchesInbound(second));
                assertTrue(in.matchesInboundFrom(alice.identityKeys().curve25519(), second));
                assertFalse(in.matchesInboundFrom(bob.identityKeys().curve25519(), second));
                assertArrayEquals(utf8("hello bob"), in.decrypt(first));
                assertArrayEquals(utf8("still pre-key"), in.decrypt(second));
                bob.removeOneTimeKeys(in);

                OlmMessage reply = in.encrypt(utf8("hi alice"));
                assertEquals(OlmMessage.Type.NORMAL, reply.type());
                assertArrayEquals(utf8("hi alice"), out.decrypt(reply));
                assertTrue(out.hasReceivedMessage());

                OlmMessage normal = out.encrypt(utf8("now a normal message"));
                assertEquals(OlmMessage.Type.NORMAL, normal.type());
                assertArrayEquals(utf8("now a normal message"), in.decrypt(normal));
            }
        }
    }

    @Test
    void everyPlaintextLengthAroundTheBlockSizeRoundTrips() {
        // Also proves the strict padding check accepts what libolm produces, at every pad length.
        try (Session out = aliceToBob()) {
            OlmMessage first = out.encrypt(new byte[0]);
            try (Session in = Session.createInbound(bob, first)) {
                assertArrayEquals(new byte[0], in.decrypt(first));
                for (int n = 1; n <= 48; n++) {
                    byte[] plaintext = new byte[n];
                    java.util.Arrays.fill(plaintext, (byte) n);
                    assertArrayEquals(plaintext, in.decrypt(out.encrypt(plaintext)), "length " + n);
                    assertArrayEquals(plaintext, out.decrypt(in.encrypt(plaintext)), "reply length " + n);
                }
            }
        }
    }

    @Test
    void picklesRoundTripMidConversation() {
        try (Session out = aliceToBob()) {
            OlmMessage first = out.encrypt(utf8("one"));
            String pickle;
            try (Session in = Session.createInbound(bob, first)) {
                in.decrypt(first);
                pickle = in.pickle(PICKLE_KEY);
            }
            try (Session restored = Session.fromPickle(pickle, PICKLE_KEY)) {
                assertEquals(out.sessionId(), restored.sessionId());
                assertTrue(restored.hasReceivedMessage());
                assertArrayEquals(utf8("two"), restored.decrypt(out.encrypt(utf8("two"))));
                assertArrayEquals(utf8("three"), out.decrypt(restored.encrypt(utf8("three"))));
            }
            var wrong = assertThrows(OlmException.class, () -> Session.fromPickle(pickle, utf8("wrong")));
            assertEquals(OlmError.BAD_ACCOUNT_KEY, wrong.error());
        }
    }

    @Test
    void tamperedAndForeignMessagesAreRejected() {
        try (Session out = aliceToBob()) {
            OlmMessage first = out.encrypt(utf8("hello"));
            try (Session in = Session.createInbound(bob, first)) {
                in.decrypt(first);
                OlmMessage reply = in.encrypt(utf8("reply"));
                byte[] body = reply.body();
                body[body.length - 12] ^= 0x01; // inside the ciphertext, before the 8-byte MAC
                var e = assertThrows(OlmException.class, () -> out.decrypt(new OlmMessage(OlmMessage.Type.NORMAL, body)));
                assertEquals(OlmError.BAD_MESSAGE_MAC, e.error());
                assertEquals(Status.BAD_MAC, e.status());
                // Where it failed is data, not only message text: the session and the operation.
                assertEquals("session " + out.sessionId(), e.detail().subject());
                assertEquals("decrypting a NORMAL message (BAD_MESSAGE_MAC)", e.detail().reason());

                byte[] version = reply.body();
                version[0] = 2;
                e = assertThrows(OlmException.class, () -> out.decrypt(new OlmMessage(OlmMessage.Type.NORMAL, version)));
                assertEquals(OlmError.BAD_MESSAGE_VERSION, e.error());

                var garbage = assertThrows(OlmException.class,
                        () -> out.decrypt(new OlmMessage(OlmMessage.Type.NORMAL, new byte[] {3, 1, 2})));
                assertEquals(Status.BAD_MESSAGE_FORMAT, garbage.status());

                // The untouched reply still decrypts: failures change nothing.
                assertArrayEquals(utf8("reply"), out.decrypt(reply));
            }
        }
    }

    @Test
    void fallbackKeysServeManySessionsUntilForgotten() {
        bob.generateFallbackKey();
        OneTimeKey fallback = bob.unpublishedFallbackKey().orElseThrow();
        bob.markKeysAsPublished();
        Curve25519PublicKey bobIdentity = bob.identityKeys().curve25519();
        try (Account carol = Account.create();
             Session fromAlice = Session.createOutbound(alice, bobIdentity, fallback.publicKey());
             Session fromCarol = Session.createOutbound(carol, bobIdentity, fallback.publicKey())) {
            OlmMessage a = fromAlice.encrypt(utf8("from alice"));
            OlmMessage c = fromCarol.encrypt(utf8("from carol"));
            try (Session inA = Session.createInbound(bob, a); Session inC = Session.createInbound(bob, c)) {
                assertArrayEquals(utf8("from alice"), inA.decrypt(a));
                assertArrayEquals(utf8("from carol"), inC.decrypt(c));
                bob.removeOneTimeKeys(inA); // a fallback key is not removed
            }
            try (Session again = Session.createInbound(bob, c)) {
                assertArrayEquals(utf8("from carol"), again.decrypt(c));
            }
            // Two rotations push the old fallback key out.
            bob.generateFallbackKey();
            bob.generateFallbackKey();
            assertEquals(OlmError.BAD_MESSAGE_KEY_ID,
                    assertThrows(OlmException.class, () -> Session.createInbound(bob, a)).error());
        }
    }

    @Test
    void aReplayedMessageIsRefused() {
        try (Session out = aliceToBob()) {
            OlmMessage first = out.encrypt(utf8("hello"));
            try (Session in = Session.createInbound(bob, first)) {
                in.decrypt(first);
                OlmMessage reply = in.encrypt(utf8("once"));
                assertArrayEquals(utf8("once"), out.decrypt(reply));
                var replay = assertThrows(OlmException.class, () -> out.decrypt(reply));
                assertEquals(OlmError.MISSING_MESSAGE_KEY, replay.error(), "its key is used up (libolm: BAD_MESSAGE_MAC)");
                assertEquals(Status.UNKNOWN_INDEX, replay.status());
            }
        }
    }

    @Test
    void usedOneTimeKeyCannotStartASecondSession() {
        try (Session out = aliceToBob()) {
            OlmMessage first = out.encrypt(utf8("hello"));
            try (Session in = Session.createInbound(bob, first)) {
                in.decrypt(first);
                bob.removeOneTimeKeys(in);
                var again = assertThrows(OlmException.class, () -> bob.removeOneTimeKeys(in));
                assertEquals(OlmError.BAD_MESSAGE_KEY_ID, again.error());
            }
            var e = assertThrows(OlmException.class, () -> Session.createInbound(bob, first));
            assertEquals(OlmError.BAD_MESSAGE_KEY_ID, e.error());
        }
    }

    @Test
    void inboundFromTheWrongSenderIsRejected() {
        try (Session out = aliceToBob(); Account mallory = Account.create()) {
            OlmMessage first = out.encrypt(utf8("hello"));
            var e = assertThrows(OlmException.class,
                    () -> Session.createInboundFrom(bob, mallory.identityKeys().curve25519(), first));
            assertEquals(OlmError.SENDER_MISMATCH, e.error(), "libolm: BAD_MESSAGE_KEY_ID");
        }
    }

    @Test
    void badKeysAndMessageTypesAreRefused() {
        Curve25519PublicKey identity = bob.identityKeys().curve25519();
        var shortKey = assertThrows(PanolmException.class, () -> new Curve25519PublicKey(new byte[31]));
        assertEquals(Status.BAD_KEY, shortKey.status());
        // u = 0 is of low order: the Diffie-Hellman result would be all-zero, known to anyone.
        var zero = new Curve25519PublicKey(new byte[32]);
        var lowOrder = assertThrows(OlmException.class, () -> Session.createOutbound(alice, identity, zero));
        assertEquals(Status.NON_CONTRIBUTORY, lowOrder.status());
        assertEquals(OlmError.NON_CONTRIBUTORY_KEY, lowOrder.error());
        var one = new Curve25519PublicKey(
                HexFormat.of().parseHex("0100000000000000000000000000000000000000000000000000000000000000"));
        assertEquals(Status.NON_CONTRIBUTORY,
                assertThrows(PanolmException.class, () -> Session.createOutbound(alice, one, identity)).status());

        var normal = new OlmMessage(OlmMessage.Type.NORMAL, new byte[] {3});
        assertEquals(Status.INVALID_ARGUMENT,
                assertThrows(PanolmException.class, () -> Session.createInbound(bob, normal)).status());
        assertEquals(Status.BAD_MESSAGE_FORMAT,
                assertThrows(PanolmException.class, () -> OlmMessage.fromBase64(2, "AAAA")).status());
        assertEquals(Status.BAD_BASE64,
                assertThrows(PanolmException.class, () -> OlmMessage.fromBase64(0, "A*AA")).status());
    }

    @Test
    void useAfterCloseThrows() {
        Session session = aliceToBob();
        OlmMessage message = session.encrypt(utf8("x"));
        session.close();
        session.close();
        assertThrows(IllegalStateException.class, session::sessionId);
        assertThrows(IllegalStateException.class, () -> session.encrypt(utf8("x")));
        assertThrows(IllegalStateException.class, () -> session.decrypt(message));
        assertThrows(IllegalStateException.class, () -> session.pickle(PICKLE_KEY));
        assertThrows(IllegalStateException.class, () -> bob.removeOneTimeKeys(session));
        assertEquals("Session[closed]", session.toString());
    }

    @Test
    void messageRecordCopiesAndHidesItsBody() {
        byte[] body = {3, 10, 32};
        OlmMessage m = new OlmMessage(OlmMessage.Type.PRE_KEY, body);
        body[0] = 9;
        assertEquals(3, m.body()[0]);
        m.body()[0] = 9;
        assertEquals(3, m.body()[0]);
        assertEquals("OlmMessage[PRE_KEY, 3 bytes]", m.toString());
        assertEquals(m, OlmMessage.fromBase64(0, m.bodyBase64()));
    }
}
