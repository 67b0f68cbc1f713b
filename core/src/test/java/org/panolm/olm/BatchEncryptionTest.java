package org.panolm.olm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;

/**
 * The batch entry point equals one {@link Session#encrypt} per recipient, byte for byte, whatever the
 * number of threads; recipients fail one by one, never the batch.
 */
class BatchEncryptionTest {
    private static final byte[] K = "batch".getBytes(StandardCharsets.UTF_8);
    private static final PayloadTemplate ROOM_KEY = PayloadTemplate.of(
            "{\"type\":\"m.room_key\",\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"room_id\":\"!r:x\","
                    + "\"session_id\":\"S\",\"session_key\":\"KEY\"},\"sender\":\"@a:x\",\"sender_device\":\"A\","
                    + "\"keys\":{\"ed25519\":\"ED\"},\"recipient\":\"",
            "\",\"recipient_keys\":{\"ed25519\":\"", "\"}}");

    private Account sender;
    private final List<Account> devices = new ArrayList<>();
    private final List<Session> sessions = new ArrayList<>();

    @BeforeEach
    void devices() {
        sender = Account.create();
        for (int i = 0; i < 100; i++) {
            Account d = Account.create();
            d.generateOneTimeKeys(1);
            devices.add(d);
            sessions.add(Session.createOutbound(sender, d.identityKeys().curve25519(), d.oneTimeKeys().getFirst().publicKey()));
        }
    }

    @AfterEach
    void close() {
        sessions.forEach(Session::close);
        devices.forEach(Account::close);
        sender.close();
    }

    private static List<byte[]> values(int i) {
        return List.of(("@user" + i + ":x").getBytes(StandardCharsets.UTF_8),
                ("ed25519-of-" + i).getBytes(StandardCharsets.UTF_8));
    }

    private List<BatchEncryption.Recipient> recipients(List<Session> of) {
        List<BatchEncryption.Recipient> out = new ArrayList<>();
        for (int i = 0; i < of.size(); i++) out.add(new BatchEncryption.Recipient(of.get(i), values(i)));
        return out;
    }

    private List<Session> copies() {
        List<Session> out = new ArrayList<>();
        for (Session s : sessions) out.add(Session.fromPickle(s.pickle(K), K));
        return out;
    }

    @Test
    void everyRecipientDecryptsItsPlaintextAndTheBytesEqualSingleEncryption() {
        List<Session> single = copies();
        try {
            List<BatchEncryption.Result> results = BatchEncryption.encrypt(ROOM_KEY, recipients(sessions), 2);
            assertEquals(sessions.size(), results.size());
            for (int i = 0; i < sessions.size(); i++) {
                BatchEncryption.Result r = results.get(i);
                assertTrue(r.ok(), r.status().toString());
                assertEquals(OlmMessage.Type.PRE_KEY, r.type());
                byte[] plaintext = ROOM_KEY.fill(values(i));
                assertEquals(single.get(i).encrypt(plaintext), r.message(), "recipient " + i);
                try (InboundSession in = devices.get(i).createInboundSession(sender.identityKeys().curve25519(), r.message())) {
                    assertArrayEquals(plaintext, in.plaintext());
                    assertEquals(sessions.get(i).sessionId(), in.session().sessionId());
                }
            }
        } finally {
            single.forEach(Session::close);
        }
    }

    @Test
    void oneTwoAndAllThreadsGiveTheSameMessages() {
        List<Session> a = copies();
        List<Session> b = copies();
        try {
            List<BatchEncryption.Result> one = BatchEncryption.encrypt(ROOM_KEY, recipients(a), 1);
            List<BatchEncryption.Result> two = BatchEncryption.encrypt(ROOM_KEY, recipients(b), 2);
            List<BatchEncryption.Result> all = BatchEncryption.encrypt(ROOM_KEY, recipients(sessions));
            assertEquals(one, two);
            assertEquals(one, all);
        } finally {
            a.forEach(Session::close);
            b.forEach(Session::close);
        }
    }

    @Test
    void sessionsThatMustRatchetAndRepliesAreBatchedToo() {
        // The devices answer: their inbound sessions have no sending chain yet, so each batch message starts
        // one with a fresh ratchet key; the sender's replies are then normal messages.
        List<Session> inbound = new ArrayList<>();
        try {
            List<BatchEncryption.Result> first = BatchEncryption.encrypt(PayloadTemplate.constant(K), recipients0(sessions));
            for (int i = 0; i < 50; i++) {
                inbound.add(devices.get(i).createInboundSession(null, first.get(i).message()).session());
            }
            List<BatchEncryption.Result> replies = BatchEncryption.encrypt(PayloadTemplate.perRecipient(),
                    perRecipient(inbound), 2);
            for (int i = 0; i < 50; i++) {
                assertEquals(OlmMessage.Type.NORMAL, replies.get(i).type());
                assertArrayEquals(("reply " + i).getBytes(StandardCharsets.UTF_8), sessions.get(i).decrypt(replies.get(i).message()));
            }
            List<BatchEncryption.Result> normal = BatchEncryption.encrypt(PayloadTemplate.constant(K), recipients0(sessions.subList(0, 50)));
            for (int i = 0; i < 50; i++) {
                assertEquals(OlmMessage.Type.NORMAL, normal.get(i).type());
                assertArrayEquals(K, inbound.get(i).decrypt(normal.get(i).message()));
            }
        } finally {
            inbound.forEach(Session::close);
        }
    }

    private static List<BatchEncryption.Recipient> recipients0(List<Session> of) {
        List<BatchEncryption.Recipient> out = new ArrayList<>();
        for (Session s : of) out.add(new BatchEncryption.Recipient(s, List.of()));
        return out;
    }

    private static List<BatchEncryption.Recipient> perRecipient(List<Session> of) {
        List<BatchEncryption.Recipient> out = new ArrayList<>();
        for (int i = 0; i < of.size(); i++) {
            out.add(new BatchEncryption.Recipient(of.get(i), List.of(("reply " + i).getBytes(StandardCharsets.UTF_8))));
        }
        return out;
    }

    @Test
    void aClosedSessionFailsAloneAndASessionListedTwiceGetsTwoMessages() {
        Session closed = Session.fromPickle(sessions.get(0).pickle(K), K);
        closed.close();
        List<BatchEncryption.Recipient> list = new ArrayList<>();
        list.add(new BatchEncryption.Recipient(sessions.get(1), values(1)));
        list.add(new BatchEncryption.Recipient(closed, values(0)));
        list.add(new BatchEncryption.Recipient(sessions.get(1), values(2)));
        List<BatchEncryption.Result> results = BatchEncryption.encrypt(ROOM_KEY, list, 2);
        assertEquals(Status.UNKNOWN_SESSION, results.get(1).status());
        assertEquals(OlmError.BAD_MESSAGE_KEY_ID, results.get(1).error());
        assertThrows(OlmException.class, () -> results.get(1).message());
        try (InboundSession in = devices.get(1).createInboundSession(null, results.get(0).message())) {
            byte[] other = in.session().decrypt(results.get(2).message());
            List<byte[]> both = List.of(in.plaintext(), other);
            assertTrue(both.stream().anyMatch(p -> java.util.Arrays.equals(p, ROOM_KEY.fill(values(1)))));
            assertTrue(both.stream().anyMatch(p -> java.util.Arrays.equals(p, ROOM_KEY.fill(values(2)))));
        }
    }

    @Test
    void badArgumentsAreRefusedBeforeAnyWork() {
        var wrongHoles = assertThrows(PanolmException.class, () -> BatchEncryption.encrypt(ROOM_KEY,
                List.of(new BatchEncryption.Recipient(sessions.get(0), List.of(new byte[1]))), 1));
        assertEquals(Status.INVALID_ARGUMENT, wrongHoles.status());
        assertEquals(List.of(), BatchEncryption.encrypt(ROOM_KEY, List.of(), 1));
        var threads = assertThrows(PanolmException.class, () -> BatchEncryption.encrypt(ROOM_KEY, List.of(), -1));
        assertEquals(Status.INVALID_ARGUMENT, threads.status());
        byte[] huge = new byte[(1 << 24) + 1];
        String before = sessions.get(0).toLibolmPickle(K);
        var tooLarge = assertThrows(PanolmException.class, () -> BatchEncryption.encrypt(PayloadTemplate.perRecipient(),
                List.of(new BatchEncryption.Recipient(sessions.get(0), List.of(huge))), 1));
        assertEquals(Status.TOO_LARGE, tooLarge.status());
        assertEquals(before, sessions.get(0).toLibolmPickle(K), "nothing was encrypted");
        assertThrows(PanolmException.class, () -> new PayloadTemplate(List.of()));
    }
}
