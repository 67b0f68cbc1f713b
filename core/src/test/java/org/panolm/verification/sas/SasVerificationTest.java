package org.panolm.verification.sas;

import static org.panolm.testing.Trees.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.subtle.Ed25519;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.verification.CancelCode;
import org.panolm.verification.OutgoingEvent;
import org.panolm.verification.OwnIdentity;
import org.panolm.verification.PeerKeys;
import org.panolm.verification.Recipient;
import org.panolm.verification.VerificationEvents;

/** Two panolm parties run SAS through the state machine; then each way it must fail, fails with the spec's code. */
class SasVerificationTest {
    static final String ALICE = "@alice:example.org";
    static final String BOB = "@bob:example.org";

    TestClock clock;
    OwnIdentity aliceId;
    OwnIdentity bobId;
    SasVerification alice;
    SasVerification bob;

    static String key() {
        return MatrixBase64.encode(Ed25519.publicKey(SecureRandomBytes.next(32)));
    }

    @BeforeEach
    void setUp() {
        clock = new TestClock(Instant.parse("2026-11-23T12:00:00Z"));
        aliceId = new OwnIdentity(ALICE, "ALICEDEV", key(), key());
        bobId = new OwnIdentity(BOB, "BOBDEV", key(), key());
    }

    PeerKeys keysOf(OwnIdentity id) {
        return new PeerKeys(id.userId(), Map.of(id.deviceId(), id.deviceEd25519Key()), id.masterKey());
    }

    /** Alice requests, Bob answers ready; returns Alice's outgoing after the ready. */
    List<OutgoingEvent> requestAndReady() {
        alice = SasVerification.request(aliceId, keysOf(bobId), "txn1", clock);
        OutgoingEvent request = alice.requestEvent();
        assertInstanceOf(Recipient.AllDevices.class, request.recipient());
        bob = SasVerification.fromRequest(bobId, keysOf(aliceId), ALICE, request.content(), clock);
        List<OutgoingEvent> ready = bob.accept();
        assertEquals(VerificationEvents.READY, ready.getFirst().type());
        return alice.receive(BOB, ready.getFirst().type(), ready.getFirst().content());
    }

    static List<OutgoingEvent> deliver(List<OutgoingEvent> events, SasVerification to, String sender) {
        List<OutgoingEvent> replies = new ArrayList<>();
        for (OutgoingEvent e : events) {
            if (e.recipient() instanceof Recipient.AllDevicesExcept) {
                continue; // the m.accepted notice for other devices
            }
            replies.addAll(to.receive(sender, e.type(), e.content()));
        }
        return replies;
    }

    static OutgoingEvent only(List<OutgoingEvent> events, String type) {
        assertEquals(1, events.size(), events.toString());
        assertEquals(type, events.getFirst().type());
        return events.getFirst();
    }

    /** Runs the flow up to both sides showing the string; returns nothing pending. */
    void toKeysExchanged() {
        List<OutgoingEvent> afterReady = requestAndReady();
        assertEquals(CancelCode.ACCEPTED.code(), tree(only(afterReady, VerificationEvents.CANCEL).content()).get("code").textValue());
        assertEquals(new Recipient.AllDevicesExcept("BOBDEV"), afterReady.getFirst().recipient());
        OutgoingEvent start = only(alice.startSas(), VerificationEvents.START);
        OutgoingEvent accept = only(deliver(List.of(start), bob, ALICE), VerificationEvents.ACCEPT);
        assertEquals("hkdf-hmac-sha256.v2", tree(accept.content()).get("message_authentication_code").textValue());
        OutgoingEvent aliceKey = only(deliver(List.of(accept), alice, BOB), VerificationEvents.KEY);
        OutgoingEvent bobKey = only(deliver(List.of(aliceKey), bob, ALICE), VerificationEvents.KEY);
        assertEquals(List.of(), deliver(List.of(bobKey), alice, BOB));
        assertEquals(SasState.KEYS_EXCHANGED, alice.state());
        assertEquals(SasState.KEYS_EXCHANGED, bob.state());
    }

    @Test
    void twoPartiesCompleteAVerification() {
        toKeysExchanged();
        ShortAuthenticationString a = alice.shortAuthenticationString().orElseThrow();
        assertEquals(a, bob.shortAuthenticationString().orElseThrow());
        assertEquals(List.of("decimal", "emoji"), alice.sasMethods());

        List<OutgoingEvent> aliceMac = alice.confirm();
        only(aliceMac, VerificationEvents.MAC);
        assertEquals(2, tree(aliceMac.getFirst().content()).get("mac").size(), "device key and master key");
        assertEquals(List.of(), deliver(aliceMac, bob, ALICE), "Bob has not confirmed yet");
        List<OutgoingEvent> bobOut = bob.confirm();
        assertEquals(List.of(VerificationEvents.MAC, VerificationEvents.DONE), bobOut.stream().map(OutgoingEvent::type).toList());
        assertEquals(SasState.WAITING_FOR_DONE, bob.state());
        OutgoingEvent aliceDone = only(deliver(bobOut.subList(0, 1), alice, BOB), VerificationEvents.DONE);
        deliver(bobOut.subList(1, 2), alice, BOB);
        deliver(List.of(aliceDone), bob, ALICE);
        assertEquals(SasState.DONE, alice.state());
        assertEquals(SasState.DONE, bob.state());
        assertEquals(Map.of("ed25519:BOBDEV", bobId.deviceEd25519Key(), "ed25519:" + bobId.masterKey(), bobId.masterKey()),
                alice.verifiedKeys().orElseThrow().keys());
        assertEquals(Map.of("ed25519:ALICEDEV", aliceId.deviceEd25519Key(), "ed25519:" + aliceId.masterKey(), aliceId.masterKey()),
                bob.verifiedKeys().orElseThrow().keys());
        assertTrue(alice.cancellation().isEmpty());
    }

    @Test
    void wrongMacCancelsWithKeyMismatch() {
        toKeysExchanged();
        ObjectNode mac = tree(only(alice.confirm(), VerificationEvents.MAC).content());
        String id = "ed25519:ALICEDEV";
        String good = mac.get("mac").get(id).textValue();
        mac.withObjectProperty("mac").put(id, (good.charAt(0) == 'A' ? "B" : "A") + good.substring(1));
        OutgoingEvent cancel = only(bob.receive(ALICE, VerificationEvents.MAC, mac.toString()), VerificationEvents.CANCEL);
        assertEquals("m.key_mismatch", tree(cancel.content()).get("code").textValue());
        assertEquals(SasState.CANCELLED, bob.state());
        assertTrue(bob.cancellation().orElseThrow().byUs());
        assertTrue(bob.verifiedKeys().isEmpty());
    }

    @Test
    void mismatchedKeyCancelsWithKeyMismatch() {
        // Bob believes in another device key for Alice than the one she proves (a man in the middle).
        alice = SasVerification.request(aliceId, keysOf(bobId), "txn1", clock);
        PeerKeys wrongBelief = new PeerKeys(ALICE, Map.of("ALICEDEV", key()), aliceId.masterKey());
        bob = SasVerification.fromRequest(bobId, wrongBelief, ALICE, alice.requestEvent().content(), clock);
        deliver(bob.accept(), alice, BOB);
        var accept = deliver(alice.startSas(), bob, ALICE);
        var aliceKey = deliver(accept, alice, BOB);
        var bobKey = deliver(aliceKey, bob, ALICE);
        deliver(bobKey, alice, BOB);
        bob.confirm();
        OutgoingEvent cancel = only(deliver(alice.confirm(), bob, ALICE), VerificationEvents.CANCEL);
        assertEquals("m.key_mismatch", tree(cancel.content()).get("code").textValue());
        assertTrue(tree(cancel.content()).get("reason").textValue().contains("ed25519:ALICEDEV"));
    }

    @Test
    void keyIdListTamperingCancels() {
        toKeysExchanged();
        ObjectNode mac = tree(only(alice.confirm(), VerificationEvents.MAC).content());
        mac.withObjectProperty("mac").remove("ed25519:" + aliceId.masterKey()); // drop a key but keep the list MAC
        assertEquals("m.key_mismatch", tree(only(bob.receive(ALICE, VerificationEvents.MAC, mac.toString()), VerificationEvents.CANCEL)
                .content()).get("code").textValue());
    }

    @Test
    void wrongCommitmentCancels() {
        requestAndReady();
        OutgoingEvent start = only(alice.startSas(), VerificationEvents.START);
        ObjectNode accept = tree(only(deliver(List.of(start), bob, ALICE), VerificationEvents.ACCEPT).content());
        accept.put("commitment", MatrixBase64.encode(new byte[32]));
        OutgoingEvent aliceKey = only(alice.receive(BOB, VerificationEvents.ACCEPT, accept.toString()), VerificationEvents.KEY);
        OutgoingEvent bobKey = only(deliver(List.of(aliceKey), bob, ALICE), VerificationEvents.KEY);
        OutgoingEvent cancel = only(deliver(List.of(bobKey), alice, BOB), VerificationEvents.CANCEL);
        assertEquals("m.mismatched_commitment", tree(cancel.content()).get("code").textValue());
        assertTrue(alice.shortAuthenticationString().isEmpty());
    }

    @Test
    void substitutedKeyFailsTheCommitment() {
        requestAndReady();
        var accept = deliver(alice.startSas(), bob, ALICE);
        var aliceKey = deliver(accept, alice, BOB);
        deliver(aliceKey, bob, ALICE);
        ObjectNode forged = tree(aliceKey.getFirst().content());
        forged.put("key", MatrixBase64.encode(org.panolm.subtle.X25519.publicKey(SecureRandomBytes.next(32))));
        assertEquals("m.mismatched_commitment",
                tree(only(alice.receive(BOB, VerificationEvents.KEY, forged.toString()), VerificationEvents.CANCEL).content()).get("code").textValue());
    }

    @Test
    void malformedKeyIsInvalid() {
        requestAndReady();
        var accept = deliver(alice.startSas(), bob, ALICE);
        ObjectNode key = tree(only(deliver(accept, alice, BOB), VerificationEvents.KEY).content());
        key.put("key", "AAAA");
        assertEquals("m.invalid_message", tree(only(bob.receive(ALICE, VerificationEvents.KEY, key.toString()), VerificationEvents.CANCEL)
                .content()).get("code").textValue());
    }

    @Test
    void lowOrderKeyIsRefused() {
        requestAndReady();
        var accept = deliver(alice.startSas(), bob, ALICE);
        ObjectNode key = tree(only(deliver(accept, alice, BOB), VerificationEvents.KEY).content());
        key.put("key", MatrixBase64.encode(new byte[32]));
        OutgoingEvent cancel = only(bob.receive(ALICE, VerificationEvents.KEY, key.toString()), VerificationEvents.CANCEL);
        assertEquals("m.invalid_message", tree(cancel.content()).get("code").textValue());
        assertTrue(tree(cancel.content()).get("reason").textValue().contains("NON_CONTRIBUTORY"));
    }

    @Test
    void theStringStaysReadableAfterDone() {
        twoPartiesCompleteAVerification();
        assertTrue(alice.shortAuthenticationString().isPresent());
    }

    @Test
    void userSaysStringsDiffer() {
        toKeysExchanged();
        OutgoingEvent cancel = only(bob.mismatch(), VerificationEvents.CANCEL);
        assertEquals("m.mismatched_sas", tree(cancel.content()).get("code").textValue());
        deliver(List.of(cancel), alice, BOB);
        assertEquals(SasState.CANCELLED, alice.state());
        assertEquals("m.mismatched_sas", alice.cancellation().orElseThrow().code());
        assertFalse(alice.cancellation().orElseThrow().byUs());
        assertEquals(List.of(), alice.receive(BOB, VerificationEvents.KEY, cancel.content()), "ignored after the end");
    }

    @Test
    void userCancel() {
        requestAndReady();
        assertEquals("m.user", tree(only(alice.cancel(CancelCode.USER), VerificationEvents.CANCEL).content()).get("code").textValue());
    }

    @Test
    void timeoutAfterTenMinutes() {
        toKeysExchanged();
        clock.advance(Duration.ofMinutes(9).plusSeconds(59));
        assertTrue(alice.checkTimeout().isEmpty());
        clock.advance(Duration.ofSeconds(1));
        assertEquals("m.timeout", tree(alice.checkTimeout().orElseThrow().content()).get("code").textValue());
        assertEquals(SasState.CANCELLED, alice.state());
        assertEquals("m.timeout", tree(only(bob.confirm(), VerificationEvents.CANCEL).content()).get("code").textValue());
    }

    @Test
    void staleOrFutureRequestsAreIgnored() {
        alice = SasVerification.request(aliceId, keysOf(bobId), "txn1", clock);
        ObjectNode request = tree(alice.requestEvent().content());
        clock.advance(Duration.ofMinutes(10));
        var stale = assertThrows(PanolmException.class,
                () -> SasVerification.fromRequest(bobId, keysOf(aliceId), ALICE, request.toString(), clock));
        assertEquals(Status.BAD_EVENT, stale.status());
        request.put("timestamp", clock.millis() + Duration.ofMinutes(6).toMillis());
        assertThrows(PanolmException.class, () -> SasVerification.fromRequest(bobId, keysOf(aliceId), ALICE, request.toString(), clock));
        request.put("timestamp", clock.millis());
        request.putArray("methods").add("m.qr_code.show.v1");
        PanolmException noSas = assertThrows(PanolmException.class,
                () -> SasVerification.fromRequest(bobId, keysOf(aliceId), ALICE, request.toString(), clock));
        assertEquals(Status.BAD_EVENT, noSas.status());
        assertEquals("m.key.verification.request", noSas.detail().subject());
        assertEquals("methods", noSas.detail().field());
        assertThrows(PanolmException.class, () -> SasVerification.fromRequest(bobId, keysOf(aliceId), BOB, request.toString(), clock));
    }

    @Test
    void unexpectedMessage() {
        requestAndReady();
        ObjectNode key = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("transaction_id", "txn1").put("key", MatrixBase64.encode(new byte[32]));
        assertEquals("m.unexpected_message",
                tree(only(alice.receive(BOB, VerificationEvents.KEY, key.toString()), VerificationEvents.CANCEL).content()).get("code").textValue());
    }

    @Test
    void unknownMethod() {
        requestAndReady();
        ObjectNode start = tree(only(alice.startSas(), VerificationEvents.START).content());
        start.putArray("message_authentication_codes").add("hmac-sha256");
        assertEquals("m.unknown_method",
                tree(only(bob.receive(ALICE, VerificationEvents.START, start.toString()), VerificationEvents.CANCEL).content()).get("code").textValue());
    }

    @Test
    void invalidMessage() {
        requestAndReady();
        ObjectNode start = tree(only(alice.startSas(), VerificationEvents.START).content());
        start.remove("hashes");
        OutgoingEvent cancel = only(bob.receive(ALICE, VerificationEvents.START, start.toString()), VerificationEvents.CANCEL);
        assertEquals("m.invalid_message", tree(cancel.content()).get("code").textValue());
        assertTrue(tree(cancel.content()).get("reason").textValue().contains("hashes"));
    }

    @Test
    void userMismatch() {
        requestAndReady();
        ObjectNode start = tree(only(alice.startSas(), VerificationEvents.START).content());
        assertEquals("m.user_mismatch",
                tree(only(bob.receive("@mallory:example.org", VerificationEvents.START, start.toString()), VerificationEvents.CANCEL)
                        .content()).get("code").textValue());
    }

    @Test
    void unknownTransactionLeavesOurFlowAlone() {
        requestAndReady();
        ObjectNode start = tree(only(alice.startSas(), VerificationEvents.START).content());
        start.put("transaction_id", "other");
        OutgoingEvent cancel = only(bob.receive(ALICE, VerificationEvents.START, start.toString()), VerificationEvents.CANCEL);
        assertEquals("m.unknown_transaction", tree(cancel.content()).get("code").textValue());
        assertEquals("other", tree(cancel.content()).get("transaction_id").textValue());
        assertEquals(SasState.READY, bob.state());
    }

    @Test
    void secondDeviceReadyGetsAccepted() {
        requestAndReady();
        ObjectNode ready = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("from_device", "BOBPHONE").put("transaction_id", "txn1");
        ready.putArray("methods").add("m.sas.v1");
        OutgoingEvent cancel = only(alice.receive(BOB, VerificationEvents.READY, ready.toString()), VerificationEvents.CANCEL);
        assertEquals("m.accepted", tree(cancel.content()).get("code").textValue());
        assertEquals(new Recipient.Device("BOBPHONE"), cancel.recipient());
        assertEquals(SasState.READY, alice.state());
    }

    @Test
    void simultaneousStartsResolveToTheSmallerUser() {
        requestAndReady();
        OutgoingEvent aliceStart = only(alice.startSas(), VerificationEvents.START);
        OutgoingEvent bobStart = only(bob.startSas(), VerificationEvents.START);
        // "@alice" < "@bob": Alice keeps her start and ignores Bob's; Bob yields and accepts Alice's.
        assertEquals(List.of(), alice.receive(BOB, bobStart.type(), bobStart.content()));
        OutgoingEvent accept = only(bob.receive(ALICE, aliceStart.type(), aliceStart.content()), VerificationEvents.ACCEPT);
        assertTrue(alice.weStarted());
        assertFalse(bob.weStarted());
        var aliceKey = deliver(List.of(accept), alice, BOB);
        deliver(deliver(aliceKey, bob, ALICE), alice, BOB);
        assertEquals(alice.shortAuthenticationString(), bob.shortAuthenticationString());
    }

    @Test
    void eachFlowHasItsOwnString() {
        toKeysExchanged();
        ShortAuthenticationString first = alice.shortAuthenticationString().orElseThrow();
        toKeysExchanged();
        assertNotEquals(first, alice.shortAuthenticationString().orElseThrow());
    }
}
