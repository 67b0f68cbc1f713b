package org.panolm.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import tools.jackson.databind.JsonNode;

class KeysTest {
    @RegisterExtension
    static final TestHomeserverExtension SERVER = new TestHomeserverExtension();

    private static int users;

    private static Client user() {
        return Client.register(SERVER.server().baseUrl(), "k" + (++users), "pw");
    }

    private static String deviceKeys(Client c) {
        return """
                {"user_id":"%s","device_id":"%s","algorithms":["m.olm.v1.curve25519-aes-sha2",
                "m.megolm.v1.aes-sha2"],"keys":{"curve25519:%s":"curve","ed25519:%s":"ed"},
                "signatures":{"%s":{"ed25519:%s":"sig"}}}""".formatted(c.userId, c.deviceId, c.deviceId, c.deviceId,
                c.userId, c.deviceId);
    }

    private static String signedKey(String key) {
        return "{\"key\":\"" + key + "\",\"signatures\":{\"@x:localhost\":{\"ed25519:X\":\"s\"}}}";
    }

    @Test
    void oneTimeKeysAreClaimedOnceThenTheFallbackKey() {
        Client bob = user();
        Client alice = user();
        var up = bob.ok(bob.post("/_matrix/client/v3/keys/upload", """
                {"device_keys":%s,"one_time_keys":{"signed_curve25519:A":%s,"signed_curve25519:B":%s},
                "fallback_keys":{"signed_curve25519:F":%s}}""".formatted(deviceKeys(bob), signedKey("a"),
                signedKey("b"), signedKey("f").replace("}}}", "}},\"fallback\":true}"))));
        assertEquals(2, up.path("one_time_key_counts").path("signed_curve25519").asInt());
        JsonNode sync = bob.sync(null, 0);
        assertEquals(2, sync.path("device_one_time_keys_count").path("signed_curve25519").asInt());
        assertEquals("signed_curve25519", sync.path("device_unused_fallback_key_types").path(0).asString());

        String claim = "{\"one_time_keys\":{\"%s\":{\"%s\":\"signed_curve25519\"}}}".formatted(bob.userId,
                bob.deviceId);
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 2; i++) {
            JsonNode got = alice.ok(alice.post("/_matrix/client/v3/keys/claim", claim)).path("one_time_keys")
                    .path(bob.userId).path(bob.deviceId);
            ids.add(got.propertyNames().iterator().next());
        }
        assertEquals(java.util.Set.of("signed_curve25519:A", "signed_curve25519:B"), ids, "each key given once");
        for (int i = 0; i < 2; i++) {
            JsonNode fb = alice.ok(alice.post("/_matrix/client/v3/keys/claim", claim)).path("one_time_keys")
                    .path(bob.userId).path(bob.deviceId);
            assertEquals("f", fb.path("signed_curve25519:F").path("key").asString(), "the fallback, again and again");
        }
        JsonNode after = bob.sync(null, 0);
        assertEquals(0, after.path("device_one_time_keys_count").path("signed_curve25519").asInt());
        assertEquals(0, after.path("device_unused_fallback_key_types").size(), "the fallback key is used now");

        // The same key id with another value is refused.
        bob.ok(bob.post("/_matrix/client/v3/keys/upload", """
                {"one_time_keys":{"signed_curve25519:Z":%s}}""".formatted(signedKey("z"))));
        assertEquals(400, bob.post("/_matrix/client/v3/keys/upload", """
                {"one_time_keys":{"signed_curve25519:Z":%s}}""".formatted(signedKey("other"))).status());
        // Keys for another device are refused.
        assertEquals("M_INVALID_PARAM", alice.post("/_matrix/client/v3/keys/upload",
                "{\"device_keys\":" + deviceKeys(bob) + "}").errcode());
    }

    @Test
    void queryReturnsDeviceAndCrossSigningKeys() {
        Client alice = user();
        alice.ok(alice.post("/_matrix/client/v3/keys/upload", "{\"device_keys\":" + deviceKeys(alice) + "}"));
        String master = """
                {"user_id":"%s","usage":["master"],"keys":{"ed25519:MASTER":"MASTER"}}""".formatted(alice.userId);
        String ssk = """
                {"user_id":"%s","usage":["self_signing"],"keys":{"ed25519:SSK":"SSK"},
                "signatures":{"%s":{"ed25519:MASTER":"m"}}}""".formatted(alice.userId, alice.userId);
        // The first upload needs no password.
        alice.ok(alice.post("/_matrix/client/v3/keys/device_signing/upload",
                "{\"master_key\":" + master + ",\"self_signing_key\":" + ssk + "}"));
        // The same keys again change nothing and need no password either.
        alice.ok(alice.post("/_matrix/client/v3/keys/device_signing/upload", "{\"master_key\":" + master + "}"));
        // New keys need user-interactive auth by password.
        String master2 = master.replace("MASTER", "MASTER2");
        var challenge = alice.post("/_matrix/client/v3/keys/device_signing/upload", "{\"master_key\":" + master2
                + "}");
        assertEquals(401, challenge.status());
        assertEquals("m.login.password", challenge.json().path("flows").path(0).path("stages").path(0).asString());
        var wrong = alice.post("/_matrix/client/v3/keys/device_signing/upload", "{\"master_key\":" + master2
                + ",\"auth\":{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\""
                + alice.userId + "\"},\"password\":\"bad\"}}");
        assertEquals("M_FORBIDDEN", wrong.errcode());

        Client bob = user();
        var q = bob.ok(bob.post("/_matrix/client/v3/keys/query", "{\"device_keys\":{\"" + alice.userId
                + "\":[]}}"));
        assertEquals("curve", q.path("device_keys").path(alice.userId).path(alice.deviceId).path("keys")
                .path("curve25519:" + alice.deviceId).asString());
        assertEquals("MASTER", q.path("master_keys").path(alice.userId).path("keys").path("ed25519:MASTER")
                .asString());
        assertTrue(q.path("self_signing_keys").has(alice.userId));

        // A signature by the self-signing key on alice's device is merged into the device keys.
        String signedDevice = deviceKeys(alice).replace("{\"ed25519:" + alice.deviceId + "\":\"sig\"}",
                "{\"ed25519:SSK\":\"cross\"}");
        var sigs = alice.ok(alice.post("/_matrix/client/v3/keys/signatures/upload",
                "{\"" + alice.userId + "\":{\"" + alice.deviceId + "\":" + signedDevice + "}}"));
        assertEquals(0, sigs.path("failures").size(), sigs.toString());
        var q2 = bob.ok(bob.post("/_matrix/client/v3/keys/query", "{\"device_keys\":{\"" + alice.userId
                + "\":[\"" + alice.deviceId + "\"]}}"));
        JsonNode s = q2.path("device_keys").path(alice.userId).path(alice.deviceId).path("signatures")
                .path(alice.userId);
        assertEquals("sig", s.path("ed25519:" + alice.deviceId).asString());
        assertEquals("cross", s.path("ed25519:SSK").asString());
        // Signing something that is not the stored key fails, with the reason as data.
        var bad = alice.ok(alice.post("/_matrix/client/v3/keys/signatures/upload",
                "{\"" + alice.userId + "\":{\"NOPE\":{}}}"));
        assertEquals("M_INVALID_SIGNATURE", bad.path("failures").path(alice.userId).path("NOPE").path("errcode")
                .asString());
    }

    @Test
    void keyChangesReachRoomMatesInSyncAndKeysChanges() {
        Client alice = user();
        Client bob = user();
        String room = alice.createRoom("{\"preset\":\"public_chat\"}");
        bob.ok(bob.post("/_matrix/client/v3/join/" + Client.enc(room), "{}"));
        String since = bob.sync(null, 0).path("next_batch").asString();
        alice.ok(alice.post("/_matrix/client/v3/keys/upload", "{\"device_keys\":" + deviceKeys(alice) + "}"));
        JsonNode s = bob.sync(since, 1000);
        assertTrue(s.path("device_lists").path("changed").toString().contains(alice.userId), s.toString());
        var changes = bob.ok(bob.get("/_matrix/client/v3/keys/changes?from=" + since + "&to="
                + s.path("next_batch").asString()));
        assertTrue(changes.path("changed").toString().contains(alice.userId));
        Client stranger = user();
        String strangerSince = stranger.sync(null, 0).path("next_batch").asString();
        alice.login("pw"); // a new device of alice
        assertFalse(stranger.sync(strangerSince, 0).path("device_lists").toString().contains(alice.userId),
                "only users who share a room hear of key changes");
    }
}
