package org.panolm.olm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;

/**
 * panolm's Olm against libolm over thousands of random conversations. Every party holds its session in
 * both implementations, kept in the same state:
 * <ul>
 *   <li>a message that needs no randomness (the sending chain exists) is encrypted by both and must be
 *       byte-identical; one that starts a sending chain (a fresh random ratchet key) is made by either,
 *       chosen at random, and the other copy is brought to the same state through libolm's pickle
 *       format, so our libolm pickle writer and reader are exercised all the time;</li>
 *   <li>every delivered message is decrypted by both copies: both succeed with the same plaintext or both
 *       fail, and afterwards the two states are equal (compared through libolm's pickle format);</li>
 *   <li>messages are delivered out of order, some are dropped, pickles are round-tripped through panolm's
 *       own format, and the inbound session is created from whichever pre-key message arrives first.</li>
 * </ul>
 * The schedule stays within what both keep for out-of-order messages (libolm: 40 skipped message keys in
 * all; panolm, as vodozemac: 40 per chain, 5 chains), so any difference is a bug; the bounds themselves are
 * tested in {@link OlmSkippedKeysTest}. A failure prints the seed that reproduces it.
 */
class OlmDifferentialTest {
    private static final byte[] K = "differential pickle key".getBytes(StandardCharsets.UTF_8);
    private static final int CONVERSATIONS = 1000;
    /** Undelivered (in flight or dropped) messages per direction: below libolm's 40 skipped keys in all. */
    private static final int MAX_PENDING = 24;
    private static final int MAX_DROPS = 6;

    /** A message on its way and the sender's chain generation it belongs to. */
    private record Flight(OlmMessage message, byte[] plaintext, int generation) {}

    /** One party's session, in both implementations. */
    private static final class Twin implements AutoCloseable {
        Session ours;
        LibolmSession ref;
        int generation;     // how many sending chains this party has started
        int drops;          // messages to this party that will never arrive
        final Deque<Flight> inbox = new ArrayDeque<>();
        final List<OlmMessage> received = new ArrayList<>();

        Twin(Session ours, LibolmSession ref) {
            this.ours = ours;
            this.ref = ref;
        }

        boolean exists() {
            return ours != null;
        }

        OlmMessage encrypt(byte[] plaintext, SplittableRandom random, Stats stats) {
            if (ref.encryptRandomLength() == 0) {
                OlmMessage a = ours.encrypt(plaintext);
                OlmMessage b = ref.encrypt(plaintext);
                assertEquals(b, a, "deterministic encryption must be byte-identical");
                stats.identical++;
                return a;
            }
            generation++;
            OlmMessage m;
            if (random.nextBoolean()) {
                m = ours.encrypt(plaintext);
                syncRefFromOurs();
            } else {
                m = ref.encrypt(plaintext);
                syncOursFromRef();
            }
            stats.ratchets++;
            return m;
        }

        void syncRefFromOurs() {
            ref.close();
            ref = LibolmSession.fromPickle(ours.toLibolmPickle(K), K);
        }

        void syncOursFromRef() {
            ours.close();
            ours = Session.fromLibolmPickle(ref.pickle(K), K);
        }

        void assertSameState(String when) {
            assertEquals(ref.sessionId(), ours.sessionId(), when);
            assertEquals(ref.hasReceivedMessage(), ours.hasReceivedMessage(), when);
            // libolm's pickle is deterministic; read back through one reader, the two states must match.
            try (Session fromRef = Session.fromLibolmPickle(ref.pickle(K), K)) {
                assertEquals(fromRef.toLibolmPickle(K), ours.toLibolmPickle(K), when + ": states differ");
            }
        }

        @Override
        public void close() {
            if (ours != null) ours.close();
            if (ref != null) ref.close();
        }
    }

    private static final class Stats {
        long sent, delivered, identical, ratchets, preKeys, dropped, pickled, failuresAgreed;
    }

    /** One decryption's outcome: the plaintext, or the failure. */
    private record Outcome(byte[] plaintext, RuntimeException failure) {
        static Outcome of(java.util.function.Supplier<byte[]> decrypt) {
            try {
                return new Outcome(decrypt.get(), null);
            } catch (PanolmException e) {
                return new Outcome(null, e);
            }
        }
    }

    @Test
    void thousandsOfRandomConversationsAgreeWithLibolm() {
        long seed = new SplittableRandom().nextLong();
        Stats stats = new Stats();
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int c = 0; c < CONVERSATIONS; c++) {
            long conversationSeed = seeds.nextLong();
            try {
                conversation(new SplittableRandom(conversationSeed), stats);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("conversation " + c + " failed; reproduce with conversationSeed = "
                        + conversationSeed + "L (run seed " + seed + "L)", e);
            }
        }
        System.out.printf("Olm differential: %d conversations, %d messages sent, %d delivered (%d pre-key), %d dropped,"
                        + " %d encrypted byte-identically by both, %d new ratchets, %d pickle round trips, "
                        + "%d failures agreed%n", CONVERSATIONS, stats.sent, stats.delivered, stats.preKeys,
                stats.dropped, stats.identical, stats.ratchets, stats.pickled, stats.failuresAgreed);
        assertTrue(stats.preKeys > CONVERSATIONS && stats.ratchets > CONVERSATIONS && stats.dropped > 0);
    }

    private static void conversation(SplittableRandom random, Stats stats) {
        try (LibolmAccount aliceRef = LibolmAccount.create(); LibolmAccount bobRef = LibolmAccount.create()) {
            bobRef.generateOneTimeKeys(1 + random.nextInt(3));
            if (random.nextBoolean()) bobRef.generateFallbackKey();
            try (Account bobOurs = Account.fromPickle(bobRef.pickle(K), K);
                 Account aliceOurs = Account.fromPickle(aliceRef.pickle(K), K)) {
                assertEquals(bobRef.identityKeys(), bobOurs.identityKeys());
                assertEquals(bobRef.oneTimeKeysJson(), bobOurs.oneTimeKeysJson());
                List<OneTimeKey> keys = new ArrayList<>(bobOurs.oneTimeKeys());
                bobOurs.fallbackKey().ifPresent(keys::add);
                Curve25519PublicKey otk = keys.get(random.nextInt(keys.size())).publicKey();
                Curve25519PublicKey bobIdentity = bobOurs.identityKeys().curve25519();

                Twin alice;
                if (random.nextBoolean()) {
                    Session s = Session.createOutbound(aliceOurs, bobIdentity, otk);
                    alice = new Twin(s, LibolmSession.fromPickle(s.toLibolmPickle(K), K));
                } else {
                    LibolmSession s = LibolmSession.createOutbound(aliceRef, bobIdentity, otk);
                    alice = new Twin(Session.fromLibolmPickle(s.pickle(K), K), s);
                }
                alice.assertSameState("new outbound session");
                Twin bob = new Twin(null, null);
                try (alice; bob) {
                    run(random, stats, alice, bob, aliceOurs, bobOurs, bobRef);
                }
            }
        }
    }

    private static void run(SplittableRandom random, Stats stats, Twin alice, Twin bob, Account aliceOurs,
                            Account bobOurs, LibolmAccount bobRef) {
        int steps = 10 + random.nextInt(50);
        for (int step = 0; step < steps; step++) {
            // The receiver keeps 5 chains: nothing stays in flight 3 sending chains behind its sender.
            for (Twin to : new Twin[] {bob, alice}) {
                Twin from = to == bob ? alice : bob;
                while (!to.inbox.isEmpty() && from.generation - oldest(to.inbox) >= 3) {
                    deliver(random, stats, to, from, bobOurs, bobRef);
                }
            }
            int action = random.nextInt(100);
            if (action < 35) {
                send(random, stats, alice, bob);
            } else if (action < 55 && bob.exists()) {
                send(random, stats, bob, alice);
            } else if (action < 90) {
                Twin to = random.nextBoolean() ? bob : alice;
                if (!to.inbox.isEmpty()) deliver(random, stats, to, to == bob ? alice : bob, bobOurs, bobRef);
            } else if (action < 92) {
                // A replayed or altered message: both refuse it and neither state moves.
                Twin to = random.nextBoolean() ? bob : alice;
                if (!to.received.isEmpty()) {
                    OlmMessage m = to.received.get(random.nextInt(to.received.size()));
                    if (random.nextBoolean()) {
                        byte[] body = m.body();
                        body[random.nextInt(body.length)] ^= (byte) (1 << random.nextInt(8));
                        m = new OlmMessage(m.type(), body);
                    }
                    OlmMessage bad = m;
                    Outcome ours = Outcome.of(() -> to.ours.decrypt(bad));
                    Outcome ref = Outcome.of(() -> to.ref.decrypt(bad));
                    assertTrue(ours.failure() != null && ref.failure() != null,
                            "a replayed or altered message decrypted: panolm " + ours.failure() + ", libolm " + ref.failure());
                    stats.failuresAgreed++;
                    to.assertSameState("after a refused message");
                }
            } else if (action < 95) {
                Twin to = random.nextBoolean() ? bob : alice;
                if (!to.inbox.isEmpty() && to.drops < MAX_DROPS) {
                    remove(to.inbox, random.nextInt(to.inbox.size()));
                    to.drops++;
                    stats.dropped++;
                }
            } else {
                Twin who = random.nextBoolean() || !bob.exists() ? alice : bob;
                // panolm's own pickle format round trip, then the libolm format from the reference.
                Session restored = Session.fromPickle(who.ours.pickle(K), K);
                who.ours.close();
                who.ours = restored;
                if (random.nextInt(4) == 0) who.syncOursFromRef();
                who.assertSameState("after pickling");
                stats.pickled++;
            }
        }
        // Everything still in flight arrives, in a random order.
        for (Twin to : new Twin[] {bob, alice}) {
            while (!to.inbox.isEmpty()) deliver(random, stats, to, to == bob ? alice : bob, bobOurs, bobRef);
        }
    }

    private static void send(SplittableRandom random, Stats stats, Twin from, Twin to) {
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n && to.inbox.size() + to.drops < MAX_PENDING; i++) {
            byte[] plaintext = new byte[random.nextInt(300)];
            random.nextBytes(plaintext);
            OlmMessage m = from.encrypt(plaintext, random, stats);
            to.inbox.addLast(new Flight(m, plaintext, from.generation));
            stats.sent++;
        }
    }

    private static void deliver(SplittableRandom random, Stats stats, Twin to, Twin from, Account bobOurs,
                                LibolmAccount bobRef) {
        // Mostly in order, sometimes any pending message; a chain falling behind goes first.
        int index = random.nextInt(4) == 0 ? random.nextInt(to.inbox.size()) : 0;
        int oldest = oldest(to.inbox);
        if (from.generation - oldest >= 3) index = indexOfGeneration(to.inbox, oldest);
        Flight f = remove(to.inbox, index);
        OlmMessage m = f.message();
        if (!to.exists()) {
            assertEquals(OlmMessage.Type.PRE_KEY, m.type());
            Session ours = Session.createInbound(bobOurs, m);
            LibolmSession ref = LibolmSession.createInbound(bobRef, m);
            assertEquals(ref.sessionId(), ours.sessionId());
            assertTrue(ours.matchesInbound(m));
            to.ours = ours;
            to.ref = ref;
        }
        if (m.type() == OlmMessage.Type.PRE_KEY) {
            stats.preKeys++;
            assertEquals(to.ref.matchesInbound(m), to.ours.matchesInbound(m));
        }
        Outcome ours = Outcome.of(() -> to.ours.decrypt(m));
        Outcome ref = Outcome.of(() -> to.ref.decrypt(m));
        if (ours.failure() == null && ref.failure() == null) {
            assertArrayEquals(f.plaintext(), ours.plaintext());
            assertArrayEquals(f.plaintext(), ref.plaintext());
            to.received.add(m);
            stats.delivered++;
        } else if (ours.failure() != null && ref.failure() != null) {
            stats.failuresAgreed++;
        } else {
            fail("panolm " + (ours.failure() == null ? "decrypted" : "failed: " + ours.failure()) + ", libolm "
                    + (ref.failure() == null ? "decrypted" : "failed: " + ref.failure()));
        }
        if (random.nextInt(8) == 0 || to.inbox.isEmpty()) to.assertSameState("after decrypting");
    }

    private static int oldest(Deque<Flight> inbox) {
        return inbox.stream().mapToInt(Flight::generation).min().orElse(Integer.MAX_VALUE);
    }

    private static int indexOfGeneration(Deque<Flight> inbox, int generation) {
        int i = 0;
        for (Flight f : inbox) {
            if (f.generation() == generation) return i;
            i++;
        }
        return 0;
    }

    private static Flight remove(Deque<Flight> deque, int index) {
        List<Flight> all = new ArrayList<>(deque);
        Flight f = all.remove(index);
        deque.clear();
        deque.addAll(all);
        return f;
    }
}
