package org.panolm.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.panolm.engine.store.SqliteCryptoStore;
import org.panolm.engine.store.StoreKey;
import org.panolm.trust.DeviceTrust;
import org.panolm.verification.CancelCode;
import org.panolm.verification.sas.SasState;

/** SAS verification driven through two engines and the test homeserver: to done, mismatch and cancel. */
class VerificationTest {
    private static final String ALICE = "@alice:example.org";
    private static final String BOB = "@bob:example.org";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private OlmMachine alice;
    private OlmMachine bob;
    private Router router;

    @BeforeEach
    void twoEnginesThatKnowEachOther() {
        alice = machine(ALICE, "ALICE");
        bob = machine(BOB, "BOB");
        router = new Router();
        router.add(new Router.EngineDevice(alice));
        router.add(new Router.EngineDevice(bob));
        alice.updateTrackedUsers(List.of(BOB));
        bob.updateTrackedUsers(List.of(ALICE));
        router.settle(5);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    private OlmMachine machine(String user, String device) {
        var s = SqliteCryptoStore.open(dir.resolve(device + ".db"), StoreKey.of(new byte[32]));
        open.add(s);
        var m = OlmMachine.open(user, device, s, () -> now[0]);
        open.add(m);
        return m;
    }

    /** Both engines' clock, moved by the tests that need time to pass. */
    private final long[] now = {System.currentTimeMillis()};

    /** Request, ready, start, accept, keys: both sides show the same string. Returns the flow id. */
    private String toKeysExchanged() {
        assertNotEquals(DeviceTrust.VERIFIED, alice.deviceTrust(BOB, "BOB").orElseThrow());
        String flow = alice.requestVerification(BOB, "BOB");
        router.settle(5);
        assertEquals(List.of(flow), bob.verifications());
        assertEquals(SasState.REQUESTED, bob.verificationState(flow));
        bob.acceptVerification(flow);
        router.settle(5);
        assertEquals(SasState.READY, alice.verificationState(flow));
        alice.startSas(flow);
        router.settle(5);
        assertEquals(SasState.KEYS_EXCHANGED, alice.verificationState(flow));
        assertEquals(SasState.KEYS_EXCHANGED, bob.verificationState(flow));
        var aliceSas = alice.shortAuthenticationString(flow).orElseThrow();
        var bobSas = bob.shortAuthenticationString(flow).orElseThrow();
        assertEquals(aliceSas.emoji(), bobSas.emoji());
        assertArrayEquals(aliceSas.bytes(), bobSas.bytes());
        return flow;
    }

    @Test
    void sasToDoneMarksEachOthersDeviceVerified() {
        String flow = toKeysExchanged();
        alice.confirmVerification(flow);
        bob.confirmVerification(flow);
        router.settle(5);
        assertEquals(SasState.DONE, alice.verificationState(flow));
        assertEquals(SasState.DONE, bob.verificationState(flow));
        assertEquals(DeviceTrust.VERIFIED, alice.deviceTrust(BOB, "BOB").orElseThrow());
        assertEquals(DeviceTrust.VERIFIED, bob.deviceTrust(ALICE, "ALICE").orElseThrow());
    }

    @Test
    void mismatchCancelsBothAndTrustsNobody() {
        String flow = toKeysExchanged();
        alice.confirmVerification(flow);
        bob.verificationMismatch(flow);
        router.settle(5);
        assertEquals(SasState.CANCELLED, alice.verificationState(flow));
        assertEquals(SasState.CANCELLED, bob.verificationState(flow));
        assertEquals(CancelCode.MISMATCHED_SAS, alice.verificationCancellation(flow).orElseThrow().knownCode().orElseThrow());
        assertNotEquals(DeviceTrust.VERIFIED, alice.deviceTrust(BOB, "BOB").orElseThrow());
        assertNotEquals(DeviceTrust.VERIFIED, bob.deviceTrust(ALICE, "ALICE").orElseThrow());
    }

    @Test
    void cancelByTheRequesterReachesThePeer() {
        String flow = alice.requestVerification(BOB, "BOB");
        router.settle(5);
        alice.cancelVerification(flow);
        router.settle(5);
        assertEquals(SasState.CANCELLED, alice.verificationState(flow));
        assertEquals(SasState.CANCELLED, bob.verificationState(flow));
        assertEquals(CancelCode.USER, bob.verificationCancellation(flow).orElseThrow().knownCode().orElseThrow());
        assertThrows(IllegalStateException.class, () -> bob.acceptVerification(flow));
    }

    @Test
    void anOlmEncryptedRequestStartsAFlowToo() {
        // An Olm session first: sharing a room key with Bob claims one of his one-time keys.
        alice.shareRoomKey("!room:example.org", List.of(ALICE, BOB), EncryptionSettings.defaults());
        router.settle(10);
        ObjectNode request = JSON.createObjectNode();
        request.put("from_device", "ALICE").put("transaction_id", "olm-flow").put("timestamp", System.currentTimeMillis());
        request.putArray("methods").add("m.sas.v1");
        alice.sendToDevice(BOB, "BOB", "m.key.verification.request", request.toString());
        router.settle(5);
        assertEquals(List.of("olm-flow"), bob.verifications());
        assertEquals(SasState.REQUESTED, bob.verificationState("olm-flow"));
    }

    @Test
    void unknownFlowsAndDevicesAreRefused() {
        assertThrows(EngineException.class, () -> alice.verificationState("nope"));
        assertThrows(EngineException.class, () -> alice.requestVerification(BOB, "NOSUCH"));
    }

    @Test
    void aFlowTheOtherSideAbandonsEndsWithTimeoutAtTheFirstSyncAfterTenMinutes() {
        String flow = alice.requestVerification(BOB, "BOB");
        router.settle(5);
        assertEquals(SasState.REQUESTED, bob.verificationState(flow)); // Bob's user never answers
        now[0] += java.time.Duration.ofMinutes(10).plusSeconds(1).toMillis();
        router.round(); // a sync: each side finds the flow expired, and tells the other
        router.settle(5);
        assertEquals(SasState.CANCELLED, alice.verificationState(flow));
        assertEquals("m.timeout", alice.verificationCancellation(flow).orElseThrow().code());
        assertEquals(SasState.CANCELLED, bob.verificationState(flow));
        assertThrows(IllegalStateException.class, () -> bob.acceptVerification(flow));
    }

    @Test
    void endedFlowsAreForgottenBeyondTheNewestHundred() {
        List<String> flows = new ArrayList<>();
        for (int i = 0; i < Verifications.ENDED_KEPT + 5; i++) {
            String flow = alice.requestVerification(BOB, "BOB");
            alice.cancelVerification(flow);
            flows.add(flow);
        }
        router.settle(10);
        assertEquals(Verifications.ENDED_KEPT, alice.verifications().size(), "the oldest ended flows were forgotten");
        assertEquals(flows.subList(5, flows.size()), alice.verifications());
        assertThrows(EngineException.class, () -> alice.verificationState(flows.getFirst()));
    }
}
