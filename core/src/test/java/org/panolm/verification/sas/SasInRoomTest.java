package org.panolm.verification.sas;

import static org.panolm.testing.Trees.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.encoding.MatrixBase64;
import org.panolm.subtle.Ed25519;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.verification.OutgoingEvent;
import org.panolm.verification.OwnIdentity;
import org.panolm.verification.PeerKeys;
import org.panolm.verification.Recipient;
import org.panolm.verification.VerificationEvents;

/** In-room SAS: the request is a room message, every later event refers to it with m.reference. */
class SasInRoomTest {
    static final String ALICE = "@alice:example.org";
    static final String BOB = "@bob:example.org";
    final TestClock clock = new TestClock(Instant.parse("2026-11-23T12:00:00Z"));
    final OwnIdentity alice = new OwnIdentity(ALICE, "ALICEDEV", key(), key());
    final OwnIdentity bob = new OwnIdentity(BOB, "BOBDEV", key(), key());

    static String key() {
        return MatrixBase64.encode(Ed25519.publicKey(SecureRandomBytes.next(32)));
    }

    static PeerKeys keysOf(OwnIdentity id) {
        return new PeerKeys(id.userId(), Map.of(id.deviceId(), id.deviceEd25519Key()), id.masterKey());
    }

    static List<OutgoingEvent> deliver(List<OutgoingEvent> events, SasVerification to, String sender) {
        List<OutgoingEvent> replies = new java.util.ArrayList<>();
        for (OutgoingEvent e : events) {
            assertEquals(new Recipient.Room(), e.recipient());
            assertEquals("$request", tree(e.content()).get("m.relates_to").get("event_id").textValue());
            assertEquals("m.reference", tree(e.content()).get("m.relates_to").get("rel_type").textValue());
            assertTrue(tree(e.content()).get("transaction_id") == null);
            replies.addAll(to.receive(sender, e.type(), e.content()));
        }
        return replies;
    }

    SasVerification[] requestAndReady() {
        var a = SasVerification.requestInRoom(alice, keysOf(bob), clock);
        OutgoingEvent request = a.requestEvent();
        assertEquals(VerificationEvents.ROOM_MESSAGE, request.type());
        assertEquals(VerificationEvents.REQUEST, tree(request.content()).get("msgtype").textValue());
        assertEquals(BOB, tree(request.content()).get("to").textValue());
        a.requestSent("$request");
        var b = SasVerification.fromRoomRequest(bob, keysOf(alice), ALICE, "$request", request.content(),
                clock.millis(), clock);
        assertEquals(List.of(), deliver(b.accept(), a, BOB), "no m.accepted notices in a room");
        return new SasVerification[] {a, b};
    }

    @Test
    void twoPartiesCompleteInARoom() {
        SasVerification[] p = requestAndReady();
        var a = p[0];
        var b = p[1];
        var accept = deliver(a.startSas(), b, ALICE);
        var aKey = deliver(accept, a, BOB);
        deliver(deliver(aKey, b, ALICE), a, BOB);
        assertEquals(a.shortAuthenticationString(), b.shortAuthenticationString());
        deliver(a.confirm(), b, ALICE);
        var bMacDone = b.confirm();
        var aDone = deliver(bMacDone, a, BOB);
        deliver(aDone, b, ALICE);
        assertEquals(SasState.DONE, a.state());
        assertEquals(SasState.DONE, b.state());
        assertEquals(bob.deviceEd25519Key(), a.verifiedKeys().orElseThrow().keys().get("ed25519:BOBDEV"));
    }

    @Test
    void ownEchoesAreIgnoredAndAnotherOwnDeviceTakesOver() {
        SasVerification[] p = requestAndReady();
        var a = p[0];
        OutgoingEvent start = a.startSas().getFirst();
        assertEquals(List.of(), a.receive(ALICE, start.type(), start.content()), "our own start echoed by the room");
        assertEquals(SasState.STARTED, a.state());

        // Bob's phone answers the same request: Bob's laptop stands down without sending anything.
        var laptop = SasVerification.fromRoomRequest(bob, keysOf(alice), ALICE, "$request",
                a.requestEvent().content(), clock.millis(), clock);
        ObjectNode phoneReady = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("from_device", "BOBPHONE");
        phoneReady.putArray("methods").add(VerificationEvents.SAS_V1);
        phoneReady.putObject("m.relates_to").put("rel_type", "m.reference").put("event_id", "$request");
        assertEquals(List.of(), laptop.receive(BOB, VerificationEvents.READY, phoneReady.toString()));
        assertEquals(SasState.CANCELLED, laptop.state());
        assertEquals("m.accepted", laptop.cancellation().orElseThrow().code());
    }

    @Test
    void otherFlowsAndMissingRelations() {
        SasVerification[] p = requestAndReady();
        var b = p[1];
        ObjectNode start = tree(p[0].startSas().getFirst().content());
        ObjectNode otherFlow = start.deepCopy();
        otherFlow.withObjectProperty("m.relates_to").put("event_id", "$other");
        assertEquals(List.of(), b.receive(ALICE, VerificationEvents.START, otherFlow.toString()));
        assertEquals(SasState.READY, b.state());
        ObjectNode noRelation = start.deepCopy();
        noRelation.remove("m.relates_to");
        assertEquals("m.invalid_message", tree(b.receive(ALICE, VerificationEvents.START, noRelation.toString()).getFirst()
                .content()).get("code").textValue());
    }

    @Test
    void roomRequestChecks() {
        var a = SasVerification.requestInRoom(alice, keysOf(bob), clock);
        ObjectNode request = tree(a.requestEvent().content());
        assertThrows(IllegalStateException.class, () -> a.receive(BOB, VerificationEvents.READY, request.toString()),
                "events before the request's event id is known");
        assertThrows(PanolmException.class, () -> SasVerification.fromRoomRequest(alice, keysOf(bob), BOB, "$r",
                request.toString(), clock.millis(), clock), "addressed to Bob, not Alice");
        assertThrows(PanolmException.class, () -> SasVerification.fromRoomRequest(bob, keysOf(alice), ALICE, "$r",
                request.toString(), clock.millis() - 600_000, clock), "too old");
        ObjectNode notRequest = request.deepCopy().put("msgtype", "m.text");
        assertThrows(PanolmException.class, () -> SasVerification.fromRoomRequest(bob, keysOf(alice), ALICE, "$r",
                notRequest.toString(), clock.millis(), clock));
    }
}
