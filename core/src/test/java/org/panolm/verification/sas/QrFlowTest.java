package org.panolm.verification.sas;

import static org.panolm.testing.Trees.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.panolm.PanolmException;
import org.panolm.verification.CancelCode;
import org.panolm.verification.OutgoingEvent;
import org.panolm.verification.OwnIdentity;
import org.panolm.verification.PeerKeys;
import org.panolm.verification.VerificationEvents;
import org.panolm.verification.qr.QrCodeData;
import org.panolm.verification.qr.QrVerificationMode;

/**
 * QR-code verification after the same request and ready as SAS: one side shows, the other scans and sends
 * {@code m.reciprocate.v1}, the displayer's user confirms, both send {@code done}, and each side holds exactly the
 * key the code proved. Each mode, and the ways it must fail.
 */
class QrFlowTest {
    static final String ALICE = SasVerificationTest.ALICE;
    static final String BOB = SasVerificationTest.BOB;

    TestClock clock;
    OwnIdentity aliceId;
    OwnIdentity bobId;

    @BeforeEach
    void setUp() {
        clock = new TestClock(Instant.parse("2026-11-23T12:00:00Z"));
        aliceId = new OwnIdentity(ALICE, "ALICEDEV", SasVerificationTest.key(), SasVerificationTest.key());
        bobId = new OwnIdentity(BOB, "BOBDEV", SasVerificationTest.key(), SasVerificationTest.key());
    }

    static PeerKeys keysOf(OwnIdentity id) {
        return new PeerKeys(id.userId(), Map.of(id.deviceId(), id.deviceEd25519Key()), id.masterKey());
    }

    /** {@code requester} asks {@code responder} (each with its beliefs of the other); both end READY. */
    SasVerification[] ready(OwnIdentity requester, PeerKeys requesterBelief, OwnIdentity responder, PeerKeys responderBelief) {
        SasVerification a = SasVerification.request(requester, requesterBelief, "txn-qr", clock);
        SasVerification b = SasVerification.fromRequest(responder, responderBelief, requester.userId(),
                a.requestEvent().content(), clock);
        SasVerificationTest.deliver(b.accept(), a, responder.userId());
        assertEquals(SasState.READY, a.state());
        assertEquals(SasState.READY, b.state());
        return new SasVerification[] {a, b};
    }

    /** {@code shower} shows, {@code scanner} scans; the shower's user confirms; both end DONE. */
    static void showScanConfirm(SasVerification shower, String showerUser, SasVerification scanner, String scannerUser) {
        QrCodeData code = shower.qrCode();
        assertEquals(code, shower.qrCode(), "the same code on every call");
        OutgoingEvent start = SasVerificationTest.only(scanner.scanQrCode(code.encode()), VerificationEvents.START);
        ObjectNode c = (ObjectNode) tree(start.content());
        assertEquals(VerificationEvents.RECIPROCATE_V1, c.get("method").textValue());
        assertEquals("txn-qr", c.get("transaction_id").textValue());
        assertEquals(SasState.QR_SCANNED, scanner.state());
        assertTrue(scanner.verifiedKeys().isEmpty(), "nothing counts before the displayer's done");
        assertEquals(List.of(), shower.receive(scannerUser, start.type(), start.content()));
        assertEquals(SasState.QR_RECIPROCATED, shower.state());
        assertTrue(shower.verifiedKeys().isEmpty(), "nothing counts before our user confirms");
        OutgoingEvent done = SasVerificationTest.only(shower.confirm(), VerificationEvents.DONE);
        assertEquals(SasState.WAITING_FOR_DONE, shower.state());
        OutgoingEvent scannerDone = SasVerificationTest.only(scanner.receive(showerUser, done.type(), done.content()),
                VerificationEvents.DONE);
        assertEquals(SasState.DONE, scanner.state());
        assertEquals(List.of(), shower.receive(scannerUser, scannerDone.type(), scannerDone.content()));
        assertEquals(SasState.DONE, shower.state());
    }

    @Test
    void anotherUserShowsAndWeScanAndEachSideHoldsTheOthersMasterKey() {
        SasVerification[] flow = ready(aliceId, keysOf(bobId), bobId, keysOf(aliceId));
        assertEquals(QrVerificationMode.VERIFYING_ANOTHER_USER, flow[0].qrCode().mode());
        showScanConfirm(flow[0], ALICE, flow[1], BOB);
        String aliceMaster = aliceId.masterKey();
        String bobMaster = bobId.masterKey();
        assertEquals(Map.of("ed25519:" + bobMaster, bobMaster), flow[0].verifiedKeys().orElseThrow().keys());
        assertEquals(Map.of("ed25519:" + aliceMaster, aliceMaster), flow[1].verifiedKeys().orElseThrow().keys());
    }

    @Test
    void ourTrustingDeviceShowsAndTheNewOneScans() {
        // ALICEDEV trusts our master key; NEWDEV (just signed in) does not yet, and learns it from the code.
        OwnIdentity newDevice = new OwnIdentity(ALICE, "NEWDEV", SasVerificationTest.key(), null);
        PeerKeys beliefOfNew = new PeerKeys(ALICE, Map.of("NEWDEV", newDevice.deviceEd25519Key()), aliceId.masterKey());
        PeerKeys beliefOfOld = new PeerKeys(ALICE, Map.of("ALICEDEV", aliceId.deviceEd25519Key()), aliceId.masterKey());
        SasVerification[] flow = ready(newDevice, beliefOfOld, aliceId, beliefOfNew);
        assertEquals(QrVerificationMode.SELF_VERIFYING_MASTER_KEY_TRUSTED, flow[1].qrCode().mode());
        showScanConfirm(flow[1], ALICE, flow[0], ALICE);
        assertEquals(Map.of("ed25519:NEWDEV", newDevice.deviceEd25519Key()), flow[1].verifiedKeys().orElseThrow().keys());
        assertEquals(Map.of("ed25519:" + aliceId.masterKey(), aliceId.masterKey()), flow[0].verifiedKeys().orElseThrow().keys());
    }

    @Test
    void theNewDeviceShowsAndOurTrustingDeviceScans() {
        OwnIdentity newDevice = new OwnIdentity(ALICE, "NEWDEV", SasVerificationTest.key(), null);
        PeerKeys beliefOfNew = new PeerKeys(ALICE, Map.of("NEWDEV", newDevice.deviceEd25519Key()), aliceId.masterKey());
        PeerKeys beliefOfOld = new PeerKeys(ALICE, Map.of("ALICEDEV", aliceId.deviceEd25519Key()), aliceId.masterKey());
        SasVerification[] flow = ready(newDevice, beliefOfOld, aliceId, beliefOfNew);
        assertEquals(QrVerificationMode.SELF_VERIFYING_MASTER_KEY_UNTRUSTED, flow[0].qrCode().mode());
        showScanConfirm(flow[0], ALICE, flow[1], ALICE);
        assertEquals(Map.of("ed25519:" + aliceId.masterKey(), aliceId.masterKey()), flow[0].verifiedKeys().orElseThrow().keys());
        assertEquals(Map.of("ed25519:NEWDEV", newDevice.deviceEd25519Key()), flow[1].verifiedKeys().orElseThrow().keys());
    }

    @Test
    void aCodeWithAnotherMasterKeyCancelsWithKeyMismatch() {
        // Bob holds a different master key for Alice than the one her code carries (a forged identity, say).
        PeerKeys wrongBelief = new PeerKeys(ALICE, Map.of("ALICEDEV", aliceId.deviceEd25519Key()), SasVerificationTest.key());
        SasVerification[] flow = ready(aliceId, keysOf(bobId), bobId, wrongBelief);
        OutgoingEvent cancel = SasVerificationTest.only(flow[1].scanQrCode(flow[0].qrCode().encode()), VerificationEvents.CANCEL);
        assertEquals(CancelCode.KEY_MISMATCH.code(), tree(cancel.content()).get("code").textValue());
        assertEquals(SasState.CANCELLED, flow[1].state());
        flow[0].receive(BOB, cancel.type(), cancel.content());
        assertEquals(SasState.CANCELLED, flow[0].state());
        assertTrue(flow[0].verifiedKeys().isEmpty() && flow[1].verifiedKeys().isEmpty());
    }

    @Test
    void aReciprocationWithTheWrongSecretCancelsWithKeyMismatch() {
        SasVerification[] flow = ready(aliceId, keysOf(bobId), bobId, keysOf(aliceId));
        QrCodeData shown = flow[0].qrCode();
        QrCodeData forged = new QrCodeData(shown.mode(), shown.flowId(), shown.key1(), shown.key2(), new byte[16]);
        OutgoingEvent start = SasVerificationTest.only(flow[1].scanQrCode(forged.encode()), VerificationEvents.START);
        OutgoingEvent cancel = SasVerificationTest.only(flow[0].receive(BOB, start.type(), start.content()),
                VerificationEvents.CANCEL);
        assertEquals(CancelCode.KEY_MISMATCH.code(), tree(cancel.content()).get("code").textValue());
        assertTrue(flow[0].verifiedKeys().isEmpty());
    }

    @Test
    void bytesThatAreNoCodeLeaveTheFlowReadyAndAReciprocationWithoutACodeCancels() {
        SasVerification[] flow = ready(aliceId, keysOf(bobId), bobId, keysOf(aliceId));
        assertThrows(PanolmException.class, () -> flow[1].scanQrCode("not a code".getBytes()));
        assertEquals(SasState.READY, flow[1].state());
        // Alice never showed a code: a reciprocation out of nowhere ends the flow.
        ObjectNode start = (ObjectNode) tree("{}");
        start.put("from_device", "BOBDEV").put("method", VerificationEvents.RECIPROCATE_V1).put("secret", "AAAAAAAAAAAAAAAAAAAAAA")
                .put("transaction_id", "txn-qr");
        OutgoingEvent cancel = SasVerificationTest.only(flow[0].receive(BOB, VerificationEvents.START, start.toString()),
                VerificationEvents.CANCEL);
        assertEquals(CancelCode.UNEXPECTED_MESSAGE.code(), tree(cancel.content()).get("code").textValue());
    }

    @Test
    void noCodeIsShownToADeviceThatCannotScanAndRequestsOfferQr() {
        SasVerification alice = SasVerification.request(aliceId, keysOf(bobId), "txn-qr", clock);
        assertEquals(List.of("m.sas.v1", "m.qr_code.show.v1", "m.qr_code.scan.v1", "m.reciprocate.v1"),
                SasMessages.offered((ObjectNode) tree(alice.requestEvent().content())));
        ObjectNode ready = (ObjectNode) tree("{}");
        ready.put("from_device", "BOBDEV").put("transaction_id", "txn-qr").putArray("methods").add("m.sas.v1");
        alice.receive(BOB, VerificationEvents.READY, ready.toString());
        assertEquals(SasState.READY, alice.state());
        assertThrows(IllegalStateException.class, alice::qrCode);
        assertThrows(IllegalStateException.class, () -> alice.scanQrCode(new byte[0]));
    }
}
