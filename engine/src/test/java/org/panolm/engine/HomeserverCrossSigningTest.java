package org.panolm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.panolm.engine.store.SqliteCryptoStore;
import org.panolm.engine.store.StoreKey;
import org.panolm.testkit.TestHomeserver;
import org.panolm.trust.DeviceTrust;
import org.panolm.trust.UserTrust;
import org.panolm.verification.sas.SasState;

/**
 * Cross-signing through the engine against the testkit homeserver over HTTP: its device_signing/upload (with
 * user-interactive auth by password when keys are replaced), signatures/upload and keys/query.
 */
class HomeserverCrossSigningTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private TestHomeserver server;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() {
        server = TestHomeserver.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
        server.close();
    }

    private String user(String localpart) {
        return "@" + localpart + ":" + server.serverName();
    }

    private HomeserverDevice device(JsonNode session, String deviceId) {
        var s = SqliteCryptoStore.open(dir.resolve(deviceId + ".db"), StoreKey.of(new byte[32]));
        open.add(s);
        var m = OlmMachine.open(session.path("user_id").asText(), deviceId, s);
        open.add(m);
        return HomeserverDevice.of(server.baseUrl(), session, m);
    }

    @Test
    void verificationOverTheServerEndsCrossSigningVerifiedAndTheServerShowsTheSignatures() {
        HomeserverDevice alice = device(HomeserverDevice.register(server.baseUrl(), "alice", "pw-a", "ALICE"), "ALICE");
        HomeserverDevice bob = device(HomeserverDevice.register(server.baseUrl(), "bob", "pw-b", "BOB"), "BOB");
        bob.join(alice.createRoomWith(user("bob")));
        alice.machine.updateTrackedUsers(List.of(user("bob")));
        bob.machine.updateTrackedUsers(List.of(user("alice")));
        alice.machine.bootstrapCrossSigning(null); // a first upload: the server asks for no auth
        bob.machine.bootstrapCrossSigning(null);
        HomeserverDevice.settle(6, alice, bob);
        assertEquals(List.of(), alice.refused);

        String flow = alice.machine.requestVerification(user("bob"), "BOB");
        HomeserverDevice.settle(6, alice, bob);
        bob.machine.acceptVerification(flow);
        HomeserverDevice.settle(6, bob, alice);
        alice.machine.startSas(flow);
        HomeserverDevice.settle(6, alice, bob);
        assertEquals(SasState.KEYS_EXCHANGED, bob.machine.verificationState(flow), () -> alice.refused + " " + bob.refused + " " + alice.machine.verificationState(flow));
        alice.machine.confirmVerification(flow);
        bob.machine.confirmVerification(flow);
        HomeserverDevice.settle(6, alice, bob);
        assertEquals(SasState.DONE, alice.machine.verificationState(flow));
        assertEquals(SasState.DONE, bob.machine.verificationState(flow));

        assertEquals(UserTrust.VERIFIED, alice.machine.userTrust(user("bob")));
        assertEquals(UserTrust.VERIFIED, bob.machine.userTrust(user("alice")));
        assertTrue(alice.machine.deviceVerification(user("bob"), "BOB").orElseThrow().throughCrossSigning());
        assertTrue(bob.machine.deviceVerification(user("alice"), "ALICE").orElseThrow().throughCrossSigning());
        // The server's keys/query carries Alice's user-signing signature on Bob's master key.
        JsonNode q = alice.query(user("bob"));
        String aliceUsk = alice.query(user("alice")).path("user_signing_keys").path(user("alice")).path("keys")
                .properties().iterator().next().getValue().asText();
        assertTrue(q.path("master_keys").path(user("bob")).path("signatures").path(user("alice")).has("ed25519:" + aliceUsk),
                q::toString);

        // A second device of Alice, verified by the first, comes back from the server self-signed, and Bob trusts
        // it without verifying it.
        HomeserverDevice alice2 = device(HomeserverDevice.login(server.baseUrl(), "alice", "pw-a", "ALICE2"), "ALICE2");
        HomeserverDevice.settle(6, alice2, alice, bob);
        String flow2 = alice.machine.requestVerification(user("alice"), "ALICE2");
        HomeserverDevice.settle(6, alice, alice2);
        alice2.machine.acceptVerification(flow2);
        HomeserverDevice.settle(6, alice2, alice);
        alice.machine.startSas(flow2);
        HomeserverDevice.settle(6, alice, alice2);
        alice.machine.confirmVerification(flow2);
        alice2.machine.confirmVerification(flow2);
        HomeserverDevice.settle(6, alice, alice2, bob);
        String aliceSsk = alice.query(user("alice")).path("self_signing_keys").path(user("alice")).path("keys")
                .properties().iterator().next().getValue().asText();
        JsonNode second = bob.query(user("alice")).path("device_keys").path(user("alice")).path("ALICE2");
        assertTrue(second.path("signatures").path(user("alice")).has("ed25519:" + aliceSsk), second::toString);
        assertEquals(new DeviceVerification(DeviceTrust.VERIFIED, true, false),
                bob.machine.deviceVerification(user("alice"), "ALICE2").orElseThrow());
        HomeserverDevice.settle(4, alice, alice2);
        assertTrue(alice2.machine.secret("m.cross_signing.user_signing").isPresent(), () -> alice.refused + " " + alice2.refused); // asked for and checked
    }

    @Test
    void replacingTheKeysNeedsThePasswordAndTheCallerRetriesWithIt() {
        JsonNode session = HomeserverDevice.register(server.baseUrl(), "carol", "pw-c", "C1");
        HomeserverDevice c1 = device(session, "C1");
        c1.machine.bootstrapCrossSigning(null);
        HomeserverDevice.settle(2, c1);
        assertEquals(List.of(), c1.refused);
        String first = c1.query(user("carol")).path("master_keys").path(user("carol")).path("keys").toString();

        // A second device holding no keys makes a new identity: the server asks for the password.
        HomeserverDevice c2 = device(HomeserverDevice.login(server.baseUrl(), "carol", "pw-c", "C2"), "C2");
        HomeserverDevice.settle(2, c2);
        c2.machine.bootstrapCrossSigning(null);
        c2.round();
        assertEquals(1, c2.refused.size(), c2.refused::toString);
        HomeserverDevice.Refusal challenge = c2.refused.getFirst();
        assertEquals(RequestType.SIGNING_KEYS_UPLOAD, challenge.type());
        assertEquals(401, challenge.status());
        assertEquals(first, c1.query(user("carol")).path("master_keys").path(user("carol")).path("keys").toString());

        ObjectNode auth = JSON.createObjectNode().put("type", "m.login.password").put("password", "pw-c")
                .put("session", challenge.body().path("session").asText());
        auth.putObject("identifier").put("type", "m.id.user").put("user", "carol");
        c2.machine.bootstrapCrossSigning(auth.toString()); // the same keys, the queued upload replaced
        HomeserverDevice.settle(3, c2, c1);
        assertEquals(1, c2.refused.size(), c2.refused::toString);
        String replaced = c1.query(user("carol")).path("master_keys").path(user("carol")).path("keys").toString();
        assertNotEquals(first, replaced);
        assertEquals(UserTrust.VERIFIED, c2.machine.userTrust(user("carol")));
        // C1's keys no longer match what the server publishes: it no longer trusts the identity it made.
        assertNotEquals(UserTrust.VERIFIED, c1.machine.userTrust(user("carol")));
    }
}
