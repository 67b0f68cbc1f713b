package org.panolm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.panolm.crosssigning.CrossSigningKey;
import org.panolm.crosssigning.DeviceKeys;
import org.panolm.crosssigning.KeyUsage;
import org.panolm.encoding.MatrixBase64;
import org.panolm.engine.store.SqliteCryptoStore;
import org.panolm.engine.store.StoreKey;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.trust.DeviceTrust;
import org.panolm.trust.UserTrust;
import org.panolm.verification.sas.SasState;

/**
 * Verification ending in cross-signing: engines bootstrap their identities, verify by SAS through the router
 * (a spec-validating homeserver), and the signatures uploaded make the other side verified through
 * cross-signing, as keys/query shows it.
 */
class CrossSigningVerificationTest {
    private static final String ALICE = "@alice:example.org";
    private static final String BOB = "@bob:example.org";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final Router router = new Router();
    private final java.util.Map<String, SqliteCryptoStore> stores = new java.util.HashMap<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    private Router.EngineDevice device(String user, String deviceId) {
        var s = SqliteCryptoStore.open(dir.resolve(deviceId + ".db"), StoreKey.of(new byte[32]));
        open.add(s);
        stores.put(deviceId, s);
        var m = OlmMachine.open(user, deviceId, s);
        open.add(m);
        var d = new Router.EngineDevice(m);
        router.add(d);
        return d;
    }

    /** Alice and Bob, each tracking the other, both with cross-signing identities published. */
    private OlmMachine[] bootstrappedPair() {
        OlmMachine alice = device(ALICE, "ALICE").machine;
        OlmMachine bob = device(BOB, "BOB").machine;
        alice.updateTrackedUsers(List.of(BOB));
        bob.updateTrackedUsers(List.of(ALICE));
        alice.bootstrapCrossSigning(null);
        bob.bootstrapCrossSigning(null);
        router.settle(10);
        return new OlmMachine[] {alice, bob};
    }

    /** SAS from {@code a} to {@code b}'s device, both confirming; returns the flow id. */
    private String verify(OlmMachine a, OlmMachine b) {
        String flow = a.requestVerification(b.userId(), b.deviceId());
        router.settle(5);
        b.acceptVerification(flow);
        router.settle(5);
        a.startSas(flow);
        router.settle(5);
        a.confirmVerification(flow);
        b.confirmVerification(flow);
        router.settle(10);
        assertEquals(SasState.DONE, a.verificationState(flow));
        assertEquals(SasState.DONE, b.verificationState(flow));
        return flow;
    }

    private static String signingKey(Router router, String user, String field) {
        return CrossSigningKey.fromJson(router.crossSigning.get(user).get(field).toString(),
                KeyUsage.fromWireName(field.replace("_key", "")).orElseThrow()).publicKey();
    }

    @Test
    void bothBootstrapVerifyAndEachSeesTheOtherVerifiedThroughCrossSigning() {
        OlmMachine[] pair = bootstrappedPair();
        OlmMachine alice = pair[0];
        OlmMachine bob = pair[1];
        // Published, our device self-signed: each trusts its own identity, not the other's yet.
        assertEquals(UserTrust.VERIFIED, alice.userTrust(ALICE));
        assertEquals(UserTrust.UNVERIFIED, alice.userTrust(BOB));
        assertEquals(new DeviceVerification(DeviceTrust.SIGNED_BY_OWNER, false, false),
                alice.deviceVerification(BOB, "BOB").orElseThrow());

        verify(alice, bob);

        assertEquals(UserTrust.VERIFIED, alice.userTrust(BOB));
        assertEquals(UserTrust.VERIFIED, bob.userTrust(ALICE));
        assertEquals(new DeviceVerification(DeviceTrust.VERIFIED, true, true), alice.deviceVerification(BOB, "BOB").orElseThrow());
        assertEquals(new DeviceVerification(DeviceTrust.VERIFIED, true, true), bob.deviceVerification(ALICE, "ALICE").orElseThrow());
        // The server holds Alice's user-signing signature on Bob's master key, and Bob's on Alice's.
        ObjectNode bobMaster = router.crossSigning.get(BOB).get("master_key");
        assertTrue(bobMaster.path("signatures").path(ALICE).has("ed25519:" + signingKey(router, ALICE, "user_signing_key")),
                bobMaster::toString);
        ObjectNode aliceMaster = router.crossSigning.get(ALICE).get("master_key");
        assertTrue(aliceMaster.path("signatures").path(BOB).has("ed25519:" + signingKey(router, BOB, "user_signing_key")));
        assertTrue(alice.signatureUploadFailures().isEmpty());
    }

    @Test
    void aSecondOwnDeviceVerifiedIsSelfSignedAndTrustedByOthersWithoutVerifyingIt() {
        OlmMachine[] pair = bootstrappedPair();
        OlmMachine alice = pair[0];
        OlmMachine bob = pair[1];
        verify(bob, alice);

        Router.EngineDevice second = device(ALICE, "ALICE2");
        OlmMachine alice2 = second.machine;
        alice2.updateTrackedUsers(List.of(BOB));
        router.settle(10);
        assertFalse(bob.deviceVerification(ALICE, "ALICE2").orElseThrow().isVerified());
        assertEquals(UserTrust.UNVERIFIED, alice2.userTrust(ALICE)); // knows the master key, has no ground to trust it

        verify(alice, alice2);

        // keys/query now returns ALICE2 signed by Alice's self-signing key.
        JsonNode queried = JSON.valueToTree(queryOf(router, BOB, ALICE)).path("device_keys").path(ALICE).path("ALICE2");
        String ssk = signingKey(router, ALICE, "self_signing_key");
        assertTrue(queried.path("signatures").path(ALICE).has("ed25519:" + ssk), queried::toString);
        assertTrue(DeviceKeys.fromJson(queried.toString()).isSelfSigned());
        // Bob never verified ALICE2, yet trusts it through cross-signing.
        assertEquals(new DeviceVerification(DeviceTrust.VERIFIED, true, false), bob.deviceVerification(ALICE, "ALICE2").orElseThrow());
        // ALICE2 was sent a MAC over Alice's master key: our identity is trusted there, and so Bob, whom Alice signed.
        assertEquals(UserTrust.VERIFIED, alice2.userTrust(ALICE));
        assertEquals(UserTrust.VERIFIED, alice2.userTrust(BOB));
        assertTrue(alice2.deviceVerification(BOB, "BOB").orElseThrow().throughCrossSigning());

        // ALICE2 asked for the private keys once verified; they arrived as secrets, checked against the published
        // keys, and match ALICE's.
        for (String name : List.of("m.cross_signing.master", "m.cross_signing.self_signing", "m.cross_signing.user_signing")) {
            assertEquals(alice.secret(name), alice2.secret(name), name);
            assertTrue(alice2.secret(name).isPresent(), name);
        }
        // So ALICE2 can sign now: a third device it verifies is self-signed by ALICE2, and Bob trusts it.
        OlmMachine alice3 = device(ALICE, "ALICE3").machine;
        router.settle(10);
        verify(alice2, alice3);
        assertEquals(new DeviceVerification(DeviceTrust.VERIFIED, true, false), bob.deviceVerification(ALICE, "ALICE3").orElseThrow());
    }

    /** {@code requester} asks {@code shower}'s device; {@code shower} shows a QR code that {@code scanner} scans. */
    private String verifyByQr(OlmMachine requester, OlmMachine responder, OlmMachine shower) {
        String flow = requester.requestVerification(responder.userId(), responder.deviceId());
        router.settle(5);
        responder.acceptVerification(flow);
        router.settle(5);
        OlmMachine scanner = shower == requester ? responder : requester;
        byte[] code = shower.qrCode(flow);
        org.junit.jupiter.api.Assertions.assertArrayEquals(code, shower.qrCode(flow), "one code per flow");
        scanner.scanQrCode(flow, code);
        router.settle(5);
        assertEquals(SasState.QR_SCANNED, scanner.verificationState(flow));
        assertEquals(SasState.QR_RECIPROCATED, shower.verificationState(flow));
        shower.confirmVerification(flow); // our user saw the other device scan it
        router.settle(10);
        assertEquals(SasState.DONE, requester.verificationState(flow));
        assertEquals(SasState.DONE, responder.verificationState(flow));
        return flow;
    }

    @Test
    void twoUsersVerifyByQrCodeAndEachSignsTheOthersMasterKey() {
        OlmMachine[] pair = bootstrappedPair();
        OlmMachine alice = pair[0];
        OlmMachine bob = pair[1];
        assertEquals(UserTrust.UNVERIFIED, alice.userTrust(BOB));

        verifyByQr(alice, bob, alice);

        // Mode 0 proves master keys, not devices: each trusts the other user, and the device through cross-signing.
        assertEquals(UserTrust.VERIFIED, alice.userTrust(BOB));
        assertEquals(UserTrust.VERIFIED, bob.userTrust(ALICE));
        assertEquals(new DeviceVerification(DeviceTrust.VERIFIED, true, false), alice.deviceVerification(BOB, "BOB").orElseThrow());
        assertEquals(new DeviceVerification(DeviceTrust.VERIFIED, true, false), bob.deviceVerification(ALICE, "ALICE").orElseThrow());
        ObjectNode bobMaster = router.crossSigning.get(BOB).get("master_key");
        assertTrue(bobMaster.path("signatures").path(ALICE).has("ed25519:" + signingKey(router, ALICE, "user_signing_key")),
                bobMaster::toString);
        ObjectNode aliceMaster = router.crossSigning.get(ALICE).get("master_key");
        assertTrue(aliceMaster.path("signatures").path(BOB).has("ed25519:" + signingKey(router, BOB, "user_signing_key")));
    }

    @Test
    void aNewDeviceScansTheTrustedDevicesCodeOrShowsItsOwnAndEndsSelfSigned() {
        OlmMachine alice = device(ALICE, "ALICE").machine;
        alice.bootstrapCrossSigning(null);
        router.settle(10);
        String ssk = signingKey(router, ALICE, "self_signing_key");

        // Mode 1: the trusted device shows, the new one scans: it learns our master key, and is signed.
        OlmMachine alice2 = device(ALICE, "ALICE2").machine;
        router.settle(10);
        assertEquals(UserTrust.UNVERIFIED, alice2.userTrust(ALICE));
        verifyByQr(alice2, alice, alice);
        assertEquals(UserTrust.VERIFIED, alice2.userTrust(ALICE), "the code proved our master key to the new device");
        assertTrue(queryOf(router, ALICE, ALICE).path("device_keys").path(ALICE).path("ALICE2").path("signatures")
                .path(ALICE).has("ed25519:" + ssk), "the trusted device signed the new one");
        assertTrue(alice2.deviceVerification(ALICE, "ALICE").orElseThrow().throughCrossSigning());

        // Mode 2: a new device that does not trust the master key shows, a trusted one scans and signs it.
        OlmMachine alice3 = device(ALICE, "ALICE3").machine;
        router.settle(10);
        verifyByQr(alice3, alice, alice3);
        assertEquals(UserTrust.VERIFIED, alice3.userTrust(ALICE));
        assertTrue(queryOf(router, ALICE, ALICE).path("device_keys").path(ALICE).path("ALICE3").path("signatures")
                .path(ALICE).has("ed25519:" + ssk));
        assertEquals(new DeviceVerification(DeviceTrust.VERIFIED, true, true), alice.deviceVerification(ALICE, "ALICE3").orElseThrow());
    }

    @Test
    void aCodeThatDoesNotMatchCancelsAndTrustsNothing() {
        OlmMachine[] pair = bootstrappedPair();
        OlmMachine alice = pair[0];
        OlmMachine bob = pair[1];
        String flow = alice.requestVerification(BOB, "BOB");
        router.settle(5);
        bob.acceptVerification(flow);
        router.settle(5);
        byte[] code = alice.qrCode(flow);
        code[code.length - 40] ^= 1; // a bit of key2 (Bob's master key as Alice believes it) flipped
        bob.scanQrCode(flow, code);
        router.settle(5);
        assertEquals(SasState.CANCELLED, bob.verificationState(flow));
        assertEquals(SasState.CANCELLED, alice.verificationState(flow));
        assertEquals("m.key_mismatch", alice.verificationCancellation(flow).orElseThrow().code());
        assertEquals(UserTrust.UNVERIFIED, alice.userTrust(BOB));
        assertEquals(UserTrust.UNVERIFIED, bob.userTrust(ALICE));
    }

    /** What keys/query answers {@code asker} about {@code user} now. */
    private static JsonNode queryOf(Router router, String asker, String user) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("device_keys").putArray(user);
        try {
            return JSON.readTree(router.handle(Router.named(asker, "Q"), new Router.Request("q", "KEYS_QUERY", "POST",
                    "/_matrix/client/v3/keys/query", body.toString())));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theCallersAuthGoesIntoTheUploadAndARetryReusesTheKeys() throws Exception {
        OlmMachine alice = device(ALICE, "ALICE").machine;
        alice.bootstrapCrossSigning(null);
        String first = alice.outgoingRequests().stream().filter(r -> r.type() == RequestType.SIGNING_KEYS_UPLOAD)
                .findFirst().orElseThrow().bodyJson();
        // The server answered with a user-interactive-auth challenge: the caller retries with its auth dict.
        ObjectNode auth = JSON.createObjectNode().put("type", "m.login.password").put("password", "hunter2");
        auth.putObject("identifier").put("type", "m.id.user").put("user", ALICE);
        alice.bootstrapCrossSigning(auth.toString());
        var uploads = alice.outgoingRequests().stream().filter(r -> r.type() == RequestType.SIGNING_KEYS_UPLOAD).toList();
        assertEquals(1, uploads.size()); // replaced, not added
        JsonNode body = JSON.readTree(uploads.getFirst().bodyJson());
        assertEquals("hunter2", body.path("auth").path("password").asText());
        assertEquals(JSON.readTree(first).path("master_key"), body.path("master_key")); // the same keys
        assertFalse(uploads.getFirst().toString().contains("hunter2")); // never printed
        assertTrue(uploads.getFirst().path().endsWith("/keys/device_signing/upload"));
        router.settle(10);
        assertEquals(signingKey(router, ALICE, "master_key"), JSON.readTree(first).path("master_key").path("keys")
                .properties().iterator().next().getValue().asText());
        assertEquals(UserTrust.VERIFIED, alice.userTrust(ALICE));
    }

    @Test
    void withoutAMasterKeyInTheMacsNothingIsSignedAndTrustStaysLocal() {
        OlmMachine alice = device(ALICE, "ALICE").machine;
        OlmMachine bob = device(BOB, "BOB").machine;
        alice.updateTrackedUsers(List.of(BOB));
        bob.updateTrackedUsers(List.of(ALICE));
        alice.bootstrapCrossSigning(null); // Bob has no cross-signing identity: his MACs cover his device only
        router.settle(10);
        verify(alice, bob);
        assertEquals(new DeviceVerification(DeviceTrust.VERIFIED, false, true), alice.deviceVerification(BOB, "BOB").orElseThrow());
        assertEquals(UserTrust.UNVERIFIED, alice.userTrust(BOB));
        assertFalse(router.crossSigning.containsKey(BOB));
        assertEquals(1, router.crossSigning.size());
    }

    @Test
    void aCrossSigningSecretThatDoesNotMatchThePublishedKeyIsRejected() {
        OlmMachine alice = device(ALICE, "ALICE").machine;
        Router.EngineDevice second = device(ALICE, "ALICE2");
        OlmMachine alice2 = second.machine;
        alice.bootstrapCrossSigning(null);
        router.settle(10);
        String wrong = MatrixBase64.encode(SecureRandomBytes.next(32));

        // Given by the caller: refused with the reason, nothing stored.
        EngineException e = assertThrows(EngineException.class, () -> alice2.storeSecret("m.cross_signing.self_signing", wrong));
        assertTrue(e.getMessage().contains("does not match the published self_signing key"), e.getMessage());
        assertTrue(alice2.secret("m.cross_signing.self_signing").isEmpty());

        // Sent by one of our own verified devices in answer to our request: refused as data, nothing stored.
        alice2.requestSecret("m.cross_signing.self_signing");
        router.settle(5); // ALICE does not answer: ALICE2 is not verified yet
        String requestId = router.delivered.get(ALICE + "|ALICE").stream()
                .filter(ev -> "m.secret.request".equals(ev.path("type").asText()))
                .map(ev -> ev.path("content").path("request_id").asText()).findFirst().orElseThrow();
        verify(alice, alice2);
        alice.shareRoomKey("!room:example.org", List.of(ALICE), EncryptionSettings.defaults()); // an Olm session to ALICE2
        router.settle(10);
        ObjectNode send = JSON.createObjectNode().put("request_id", requestId).put("secret", wrong);
        alice.sendToDevice(ALICE, "ALICE2", "m.secret.send", send.toString());
        second.results.clear();
        router.settle(5);
        var failed = second.results.stream().filter(r -> r instanceof ToDeviceResult.Failed).toList();
        assertEquals(1, failed.size(), second.results::toString);
        assertTrue(((ToDeviceResult.Failed) failed.getFirst()).reason().contains("does not match"), failed::toString);
        assertFalse(failed.toString().contains(wrong)); // the secret is never echoed
        // ALICE2 asked again once verified and holds the right key; the wrong one did not replace it.
        assertEquals(alice.secret("m.cross_signing.self_signing").orElseThrow(),
                alice2.secret("m.cross_signing.self_signing").orElseThrow());
    }

    @Test
    void aDeviceHoldingSomeOfTheKeysRefusesToBootstrapANewIdentity() {
        OlmMachine alice = device(ALICE, "ALICE").machine;
        OlmMachine alice2 = device(ALICE, "ALICE2").machine;
        alice.bootstrapCrossSigning(null);
        router.settle(10);
        String master = signingKey(router, ALICE, "master_key");
        // The right self-signing key (it matches the published one, so it is kept), but not the master key.
        alice2.storeSecret("m.cross_signing.self_signing", alice.secret("m.cross_signing.self_signing").orElseThrow());
        EngineException e = assertThrows(EngineException.class, () -> alice2.bootstrapCrossSigning(null));
        assertTrue(e.getMessage().contains("only some of the cross-signing keys"), e.getMessage());
        assertTrue(alice2.outgoingRequests().stream().noneMatch(r -> r.type() == RequestType.SIGNING_KEYS_UPLOAD));
        router.settle(10);
        assertEquals(master, signingKey(router, ALICE, "master_key"));
    }

    @Test
    void aRefusedSignatureIsSurfacedAndTrustFollowsTheServer() {
        OlmMachine[] pair = bootstrappedPair();
        OlmMachine alice = pair[0];
        OlmMachine bob = pair[1];
        router.refuseSignatures = true;
        verify(alice, bob);

        var failures = alice.signatureUploadFailures();
        assertEquals(1, failures.size(), failures::toString);
        assertEquals(BOB, failures.getFirst().userId());
        assertEquals(signingKey(router, BOB, "master_key"), failures.getFirst().keyId());
        assertEquals("M_INVALID_SIGNATURE", failures.getFirst().errcode());
        // The server does not hold the signature: after re-querying, Bob's device is not cross-signing-verified.
        var v = alice.deviceVerification(BOB, "BOB").orElseThrow();
        assertFalse(v.throughCrossSigning());
        assertTrue(v.locallyVerified());
    }

    @Test
    void theSignaturesUploadSurvivesARestartUntilReportedSent() throws Exception {
        Router.EngineDevice a = device(ALICE, "ALICE");
        OlmMachine bob = device(BOB, "BOB").machine;
        a.machine.updateTrackedUsers(List.of(BOB));
        bob.updateTrackedUsers(List.of(ALICE));
        a.machine.bootstrapCrossSigning(null);
        bob.bootstrapCrossSigning(null);
        router.settle(10);
        a.holdSignatures = true;
        verify(a.machine, bob);
        var queued = a.machine.outgoingRequests().stream().filter(r -> r.type() == RequestType.SIGNATURES_UPLOAD).toList();
        assertEquals(1, queued.size());
        assertTrue(queued.getFirst().path().endsWith("/keys/signatures/upload"));

        // The process stops before sending it: a new engine on the same store hands it out again.
        a.machine.close();
        stores.get("ALICE").close();
        var s = SqliteCryptoStore.open(dir.resolve("ALICE.db"), StoreKey.of(new byte[32]));
        try (s; OlmMachine again = OlmMachine.open(ALICE, "ALICE", s)) {
            var resumed = again.outgoingRequests().stream().filter(r -> r.type() == RequestType.SIGNATURES_UPLOAD).toList();
            assertEquals(List.of(queued.getFirst().id()), resumed.stream().map(OutgoingRequest::id).toList());
            assertEquals(queued.getFirst().bodyJson(), resumed.getFirst().bodyJson());
        }
    }
}
