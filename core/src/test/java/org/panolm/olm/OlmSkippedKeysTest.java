package org.panolm.olm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panolm.Status;

/**
 * What a session keeps for out-of-order messages, bounded as vodozemac bounds it (its
 * {@code MAX_MESSAGE_GAP = 2000}, {@code MAX_MESSAGE_KEYS = 40} per chain, {@code MAX_RECEIVING_CHAINS = 5}),
 * and the precise error at each bound. libolm differs (one list of 40 keys for all chains); where the
 * two agree, {@link OlmDifferentialTest} checks them against each other.
 */
class OlmSkippedKeysTest {
    private static final byte[] K = "k".getBytes(StandardCharsets.UTF_8);
    private Account alice;
    private Account bob;
    private Session out;
    private Session in;

    @BeforeEach
    void pair() {
        alice = Account.create();
        bob = Account.create();
        bob.generateOneTimeKeys(1);
        out = Session.createOutbound(alice, bob.identityKeys().curve25519(), bob.oneTimeKeys().getFirst().publicKey());
        OlmMessage first = out.encrypt(text(0));
        in = Session.createInbound(bob, first);
        assertArrayEquals(text(0), in.decrypt(first));
    }

    @AfterEach
    void close() {
        for (AutoCloseable c : new AutoCloseable[] {in, out, alice, bob}) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing twice is harmless
            }
        }
    }

    private static byte[] text(int n) {
        return ("message " + n).getBytes(StandardCharsets.UTF_8);
    }

    /** Messages 1..n of Alice's current chain, in order. */
    private List<OlmMessage> send(int n) {
        List<OlmMessage> messages = new ArrayList<>();
        messages.add(null);
        for (int i = 1; i <= n; i++) messages.add(out.encrypt(text(i)));
        return messages;
    }

    private Session copyOfIn() {
        return Session.fromPickle(in.pickle(K), K);
    }

    private static OlmError error(Session s, OlmMessage m) {
        return assertThrows(OlmException.class, () -> s.decrypt(m)).error();
    }

    @Test
    void aMessageAtMost2000AheadOfItsChainDecrypts() {
        // The receiving chain is at index 1: counter 2001 is a gap of 2000, counter 2002 one of 2001.
        List<OlmMessage> m = send(2002);
        try (Session copy = copyOfIn()) {
            var e = assertThrows(OlmException.class, () -> copy.decrypt(m.get(2002)));
            assertEquals(OlmError.MESSAGE_GAP_TOO_LARGE, e.error());
            assertEquals(Status.TOO_LARGE, e.status());
            assertArrayEquals(text(2001), copy.decrypt(m.get(2001)), "a gap of exactly 2000");
        }
        assertArrayEquals(text(2001), in.decrypt(m.get(2001)));
        assertArrayEquals(text(2002), in.decrypt(m.get(2002)), "the chain moved on: no gap now");
    }

    @Test
    void onANewChainTheFirstMessageMayBeAt2000() {
        out.decrypt(in.encrypt(text(-1)));           // Alice hears back: her next message starts a new chain
        List<OlmMessage> m = send(2001);              // counters 0..2000 of the new chain
        try (Session copy = copyOfIn()) {
            assertEquals(OlmError.MESSAGE_GAP_TOO_LARGE, error(copy, out.encrypt(text(2002))));
        }
        assertArrayEquals(text(2001), in.decrypt(m.get(2001)), "counter 2000 on a new chain");
        assertArrayEquals(text(2000), in.decrypt(m.get(2000)), "its predecessor was kept");
    }

    @Test
    void onlyTheLast40KeysBeforeAMessageAreKept() {
        List<OlmMessage> m = send(100);
        assertArrayEquals(text(100), in.decrypt(m.get(100)));
        for (int i = 60; i < 100; i++) assertArrayEquals(text(i), in.decrypt(m.get(i)), "kept: " + i);
        for (int i = 1; i < 60; i++) {
            assertEquals(OlmError.MISSING_MESSAGE_KEY, error(in, m.get(i)), "never kept: " + i);
        }
        assertEquals(OlmError.MISSING_MESSAGE_KEY, error(in, m.get(80)), "a kept key decrypts once");
        assertEquals(Status.UNKNOWN_INDEX, assertThrows(OlmException.class, () -> in.decrypt(m.get(80))).status());
    }

    @Test
    void aChainKeeps40SkippedKeysAndDropsTheOldest() {
        List<OlmMessage> m = send(82);
        assertArrayEquals(text(41), in.decrypt(m.get(41)));   // keeps 1..40
        assertArrayEquals(text(82), in.decrypt(m.get(82)));   // keeps 42..81, dropping 1..40
        assertEquals(OlmError.MISSING_MESSAGE_KEY, error(in, m.get(1)));
        assertEquals(OlmError.MISSING_MESSAGE_KEY, error(in, m.get(40)));
        for (int i = 42; i < 82; i++) assertArrayEquals(text(i), in.decrypt(m.get(i)), "kept: " + i);
    }

    @Test
    void skippedKeysSurvivePicklesInBothFormats() {
        List<OlmMessage> m = send(10);
        in.decrypt(m.get(10));
        try (Session ours = copyOfIn(); Session libolm = Session.fromPickle(in.toLibolmPickle(K), K)) {
            for (int i = 1; i < 10; i++) {
                assertArrayEquals(text(i), ours.decrypt(m.get(i)));
                assertArrayEquals(text(i), libolm.decrypt(m.get(i)));
            }
        }
    }

    @Test
    void fiveReceivingChainsAreKept() {
        // Held back: one message of each of Alice's first six chains.
        List<OlmMessage> held = new ArrayList<>();
        for (int chain = 0; chain < 6; chain++) {
            held.add(out.encrypt(text(100 + chain)));
            OlmMessage next = out.encrypt(text(200 + chain));
            assertArrayEquals(text(200 + chain), in.decrypt(next));   // Bob learns the chain
            assertArrayEquals(text(300 + chain), out.decrypt(in.encrypt(text(300 + chain))));  // Alice ratchets
        }
        // Bob now holds Alice's chains 2..6 (the first chain, of the pre-key message, was dropped).
        var lost = assertThrows(OlmException.class, () -> in.decrypt(held.getFirst()));
        assertEquals(OlmError.BAD_MESSAGE_MAC, lost.error(), "a chain no longer kept cannot authenticate its message");
        for (int chain = 1; chain < 6; chain++) {
            assertArrayEquals(text(100 + chain), in.decrypt(held.get(chain)), "chain " + chain);
        }
    }

    @Test
    void failuresChangeNothing() {
        List<OlmMessage> m = send(3);
        String before = in.toLibolmPickle(K);
        byte[] body = m.get(3).body();
        body[body.length - 1] ^= 1;
        assertEquals(OlmError.BAD_MESSAGE_MAC, error(in, new OlmMessage(OlmMessage.Type.PRE_KEY, body)));
        assertEquals(before, in.toLibolmPickle(K), "a failed decryption stores no skipped keys");
        assertArrayEquals(text(1), in.decrypt(m.get(1)));
    }
}
