package org.panolm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.panolm.engine.store.SqliteCryptoStore;
import org.panolm.engine.store.StoreKey;
import org.panolm.trust.DeviceTrust;
import org.panolm.trust.UserTrust;
import org.panolm.verification.sas.SasState;

/** SAS between the engine and matrix-sdk-crypto-wasm's OlmMachine, every message through the test homeserver. */
class WasmVerificationInteropTest {
    private static final String ALICE = "@alice:example.org";
    private static final String BOB = "@bob:example.org";

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    /** Alice (the engine) and Bob (wasm), each tracking the other, with or without cross-signing identities. */
    private Router pair(OlmMachine alice, WasmDevice bob, boolean bootstrap) {
        var router = new Router();
        router.add(new Router.EngineDevice(alice));
        router.add(bob);
        alice.updateTrackedUsers(List.of(BOB));
        bob.call(Map.of("op", "track", "users", List.of(ALICE)));
        if (bootstrap) {
            alice.bootstrapCrossSigning(null);
            bob.call(Map.of("op", "bootstrap"));
        }
        router.settle(10);
        return router;
    }

    private OlmMachine alice() {
        var store = SqliteCryptoStore.open(dir.resolve("alice.db"), StoreKey.of(new byte[32]));
        open.add(store);
        OlmMachine alice = OlmMachine.open(ALICE, "ALICE", store);
        open.add(alice);
        return alice;
    }

    private WasmDevice bob() {
        WasmDevice bob = new WasmDevice(BOB, "BOBWASM");
        open.add(bob);
        return bob;
    }

    /** SAS started by Alice, answered by Bob as Element does, both confirming: ends done on both sides. */
    private static void sas(OlmMachine alice, WasmDevice bob, Router router) {
        String flow = alice.requestVerification(bob.userId(), bob.deviceId());
        router.settle(5);
        JsonNode step = bob.call(Map.of("op", "verify_step", "user", ALICE, "flow_id", flow)); // Element's "accept"
        assertTrue(step.hasNonNull("phase"), step.toString());
        router.settle(5);
        assertEquals(SasState.READY, alice.verificationState(flow));
        alice.startSas(flow);
        router.settle(5);
        bob.call(Map.of("op", "verify_step", "user", ALICE, "flow_id", flow)); // accepts the start
        router.settle(5);
        JsonNode shown = bob.call(Map.of("op", "verify_step", "user", ALICE, "flow_id", flow));
        assertEquals(SasState.KEYS_EXCHANGED, alice.verificationState(flow));
        int[] ours = alice.shortAuthenticationString(flow).orElseThrow().emojiIndices();
        JsonNode indices = shown.path("emoji_indices");
        int[] theirs = IntStream.range(0, indices.size()).map(i -> indices.get(i).asInt()).toArray();
        assertTrue(java.util.Arrays.equals(ours, theirs), java.util.Arrays.toString(ours) + " vs " + shown);

        assertNotEquals(DeviceTrust.VERIFIED, alice.deviceTrust(bob.userId(), bob.deviceId()).orElseThrow());
        alice.confirmVerification(flow);
        bob.call(Map.of("op", "verify_confirm", "user", ALICE, "flow_id", flow));
        router.settle(10);
        // DONE needs the peer's m.key.verification.done: vodozemac's side finished too (and forgot the flow).
        assertEquals(SasState.DONE, alice.verificationState(flow));
    }

    @Test
    void sasWithMatrixSdkCryptoWasmEndsVerifiedOnBothSides() throws Exception {
        OlmMachine alice = alice();
        WasmDevice bob = bob();
        sas(alice, bob, pair(alice, bob, false));
        assertEquals(DeviceTrust.VERIFIED, alice.deviceTrust(BOB, "BOBWASM").orElseThrow());
        JsonNode verified = bob.call(Map.of("op", "device_verified", "user", ALICE, "device", "ALICE"));
        assertTrue(verified.path("verified").asBoolean(), verified.toString());
    }

    @Test
    void withCrossSigningOnBothSidesEachSeesTheOtherVerifiedThroughCrossSigning() throws Exception {
        OlmMachine alice = alice();
        WasmDevice bob = bob();
        Router router = pair(alice, bob, true);
        // Each side sees the other's identity, not verified yet.
        assertEquals(UserTrust.UNVERIFIED, alice.userTrust(BOB));
        assertEquals(DeviceTrust.SIGNED_BY_OWNER, alice.deviceTrust(BOB, "BOBWASM").orElseThrow());
        JsonNode before = bob.call(Map.of("op", "identity", "user", ALICE));
        assertTrue(before.path("present").asBoolean(), before.toString());
        assertFalse(before.path("verified").asBoolean(), before.toString());

        sas(alice, bob, router);
        router.settle(10); // the signatures uploads, and the keys/queries that show them

        assertBothCrossSigningVerified(alice, bob);
        // SAS proves the device too: verified both ways, locally and through cross-signing.
        assertEquals(new DeviceVerification(DeviceTrust.VERIFIED, true, true), alice.deviceVerification(BOB, "BOBWASM").orElseThrow());
    }

    @Test
    void startedByWasmItEndsCrossSigningVerifiedOnBothSidesToo() throws Exception {
        OlmMachine alice = alice();
        WasmDevice bob = bob();
        Router router = pair(alice, bob, true);
        String flow = bob.call(Map.of("op", "request_verification", "user", ALICE, "device", "ALICE")).path("flow_id").asText();
        router.settle(5);
        assertEquals(List.of(flow), alice.verifications());
        alice.acceptVerification(flow);
        router.settle(5);
        JsonNode started = bob.call(Map.of("op", "start_sas", "user", ALICE, "flow_id", flow));
        assertTrue(started.path("started").asBoolean(), started.toString());
        router.settle(5);
        JsonNode shown = bob.call(Map.of("op", "verify_step", "user", ALICE, "flow_id", flow));
        assertEquals(SasState.KEYS_EXCHANGED, alice.verificationState(flow));
        int[] ours = alice.shortAuthenticationString(flow).orElseThrow().emojiIndices();
        JsonNode indices = shown.path("emoji_indices");
        int[] theirs = IntStream.range(0, indices.size()).map(i -> indices.get(i).asInt()).toArray();
        assertTrue(java.util.Arrays.equals(ours, theirs), java.util.Arrays.toString(ours) + " vs " + shown);
        bob.call(Map.of("op", "verify_confirm", "user", ALICE, "flow_id", flow));
        router.settle(5);
        alice.confirmVerification(flow);
        router.settle(10);
        assertEquals(SasState.DONE, alice.verificationState(flow));

        assertBothCrossSigningVerified(alice, bob);
        // SAS proves the device too: verified both ways, locally and through cross-signing.
        assertEquals(new DeviceVerification(DeviceTrust.VERIFIED, true, true), alice.deviceVerification(BOB, "BOBWASM").orElseThrow());
    }

    @Test
    void ourOwnWasmDeviceVerifiedSignsUsAndSendsUsTheCrossSigningKeys() throws Exception {
        var store = SqliteCryptoStore.open(dir.resolve("alice2.db"), StoreKey.of(new byte[32]));
        open.add(store);
        OlmMachine alice2 = OlmMachine.open(ALICE, "ALICE2", store);
        open.add(alice2);
        WasmDevice first = new WasmDevice(ALICE, "ALICEWASM"); // Element, which set up cross-signing
        open.add(first);
        var router = new Router();
        router.add(new Router.EngineDevice(alice2));
        router.add(first);
        first.call(Map.of("op", "bootstrap"));
        router.settle(10);
        assertEquals(UserTrust.UNVERIFIED, alice2.userTrust(ALICE)); // a new device: no ground to trust the identity

        sas(alice2, first, router);
        router.settle(10);

        // vodozemac's side MACed our master key: the identity is trusted, and Element's device through it.
        assertEquals(UserTrust.VERIFIED, alice2.userTrust(ALICE));
        assertEquals(new DeviceVerification(DeviceTrust.VERIFIED, true, true),
                alice2.deviceVerification(ALICE, "ALICEWASM").orElseThrow());
        // Element signed the new device with its self-signing key.
        JsonNode device = first.call(Map.of("op", "device_verified", "user", ALICE, "device", "ALICE2"));
        assertTrue(device.path("cross_signing_trusted").asBoolean(), device.toString());
        // The engine asked for the private keys; those Element sent passed the check against the published keys.
        assertTrue(alice2.secret("m.cross_signing.self_signing").isPresent());
        assertTrue(alice2.secret("m.cross_signing.user_signing").isPresent());
    }

    /** Both sides trust each other's identity and device through cross-signing, on both sides' own reading. */
    private static void assertBothCrossSigningVerified(OlmMachine alice, WasmDevice bob) {
        assertEquals(UserTrust.VERIFIED, alice.userTrust(BOB));
        assertTrue(alice.deviceVerification(BOB, "BOBWASM").orElseThrow().throughCrossSigning());
        JsonNode identity = bob.call(Map.of("op", "identity", "user", ALICE));
        assertTrue(identity.path("verified").asBoolean(), identity.toString());
        JsonNode device = bob.call(Map.of("op", "device_verified", "user", ALICE, "device", "ALICE"));
        assertTrue(device.path("cross_signing_trusted").asBoolean(), device.toString());
        assertTrue(alice.signatureUploadFailures().isEmpty(), alice.signatureUploadFailures()::toString);
    }

    @Test
    void theEngineShowsAQrCodeTheWasmMachineScansItAndBothEndCrossSigningVerified() throws Exception {
        OlmMachine alice = alice();
        WasmDevice bob = bob();
        Router router = pair(alice, bob, true);
        String flow = alice.requestVerification(BOB, "BOBWASM");
        router.settle(5);
        bob.call(Map.of("op", "qr_accept", "user", ALICE, "flow_id", flow));
        router.settle(5);
        assertEquals(SasState.READY, alice.verificationState(flow));
        String code = java.util.Base64.getEncoder().encodeToString(alice.qrCode(flow));
        JsonNode scanned = bob.call(Map.of("op", "qr_scan", "user", ALICE, "flow_id", flow, "bytes", code));
        assertFalse(scanned.has("error"), scanned.toString());
        router.settle(5);
        assertEquals(SasState.QR_RECIPROCATED, alice.verificationState(flow), "vodozemac's secret matched");
        alice.confirmVerification(flow);
        router.settle(10);
        // DONE needs vodozemac's m.key.verification.done: its side finished too.
        assertEquals(SasState.DONE, alice.verificationState(flow));
        assertBothCrossSigningVerified(alice, bob);
    }

    @Test
    void theWasmMachineShowsAQrCodeTheEngineScansItAndBothEndCrossSigningVerified() throws Exception {
        OlmMachine alice = alice();
        WasmDevice bob = bob();
        Router router = pair(alice, bob, true);
        String flow = bob.call(Map.of("op", "request_verification", "user", ALICE, "device", "ALICE", "qr", true))
                .path("flow_id").asText();
        router.settle(5);
        alice.acceptVerification(flow);
        router.settle(5);
        JsonNode shown = bob.call(Map.of("op", "qr_show", "user", ALICE, "flow_id", flow));
        assertTrue(shown.path("bytes").isTextual(), shown.toString());
        alice.scanQrCode(flow, java.util.Base64.getDecoder().decode(shown.path("bytes").asText()));
        router.settle(5);
        assertEquals(SasState.QR_SCANNED, alice.verificationState(flow));
        JsonNode state = bob.call(Map.of("op", "qr_state", "user", ALICE, "flow_id", flow));
        assertTrue(state.path("scanned").asBoolean(), state.toString());
        bob.call(Map.of("op", "qr_confirm", "user", ALICE, "flow_id", flow));
        router.settle(10);
        assertEquals(SasState.DONE, alice.verificationState(flow));
        assertBothCrossSigningVerified(alice, bob);
    }

    @Test
    void ourOwnVerifiedWasmDeviceAnswersOurKeyRequestWithAForwardedKeyAndSendsTheBackupKey() throws Exception {
        var store = SqliteCryptoStore.open(dir.resolve("alice2.db"), StoreKey.of(new byte[32]));
        open.add(store);
        OlmMachine alice2 = OlmMachine.open(ALICE, "ALICE2", store);
        open.add(alice2);
        var carolStore = SqliteCryptoStore.open(dir.resolve("carol.db"), StoreKey.of(new byte[32]));
        open.add(carolStore);
        OlmMachine carol = OlmMachine.open("@carol:example.org", "CAROL", carolStore);
        open.add(carol);
        WasmDevice first = new WasmDevice(ALICE, "ALICEWASM"); // Element, with cross-signing set up
        open.add(first);
        var router = new Router();
        router.add(new Router.EngineDevice(alice2));
        router.add(new Router.EngineDevice(carol));
        router.add(first);
        first.call(Map.of("op", "bootstrap"));
        router.settle(10);
        sas(alice2, first, router);
        router.settle(10);

        // Element sends in a room whose key it shares with Carol only: our new device lacks it.
        String room = "!room:example.org";
        first.call(Map.of("op", "track", "users", List.of("@carol:example.org")));
        router.settle(10);
        first.call(Map.of("op", "claim_missing", "users", List.of("@carol:example.org")));
        router.settle(10);
        first.call(Map.of("op", "share", "room_id", room, "users", List.of("@carol:example.org")));
        router.settle(10);
        JsonNode content = first.call(Map.of("op", "encrypt", "room_id", room, "event_type", "m.room.message",
                "content", Map.of("msgtype", "m.text", "body", "sent before this device existed"))).get("content");
        ObjectNode wrapped = TestJson.tree("{}");
        wrapped.put("type", "m.room.encrypted").put("event_id", "$w1").put("room_id", room).put("sender", ALICE)
                .put("origin_server_ts", 1_700_000_000_000L).set("content", content);
        String event = wrapped.toString();
        org.junit.jupiter.api.Assertions.assertThrows(UndecryptableEventException.class,
                () -> alice2.decryptRoomEvent(event, room)); // and an m.room_key_request goes out
        router.settle(10);

        // vodozemac's machine answered our verified device with m.forwarded_room_key, which the engine took: asked for.
        DecryptedRoomEvent decrypted = alice2.decryptRoomEvent(event, room);
        assertEquals("sent before this device existed", TestJson.tree(decrypted.plaintext()).at("/content/body").asText());
        assertTrue(decrypted.provenance() instanceof org.panolm.megolm.KeyProvenance.Forwarded, decrypted.provenance()::toString);

        // The backup key, as a secret between our own verified devices.
        String backupKey = first.call(Map.of("op", "save_backup_key", "version", "1")).get("key").asText();
        alice2.requestSecret("m.megolm_backup.v1");
        router.settle(10);
        assertEquals(java.util.Optional.of(backupKey), alice2.secret("m.megolm_backup.v1"));
    }
}
