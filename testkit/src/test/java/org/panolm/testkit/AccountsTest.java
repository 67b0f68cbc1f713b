package org.panolm.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AccountsTest {
    @RegisterExtension
    static final TestHomeserverExtension SERVER = new TestHomeserverExtension();

    private static java.net.URI base() {
        return SERVER.server().baseUrl();
    }

    @Test
    void versionsAndLoginFlows() {
        Client anon = new Client(base());
        var v = anon.ok(anon.get("/_matrix/client/versions"));
        assertTrue(v.path("versions").toString().contains("v1.1"));
        var flows = anon.ok(anon.get("/_matrix/client/v3/login"));
        assertEquals("m.login.password", flows.path("flows").path(0).path("type").asString());
    }

    @Test
    void speaksHttp2Cleartext() throws Exception {
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_2).build()) {
            var r = http.send(java.net.http.HttpRequest.newBuilder(base().resolve("/_matrix/client/versions"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(java.net.http.HttpClient.Version.HTTP_2, r.version(), "h2c upgrade accepted");
            assertEquals("127.0.0.1", base().getHost());
        }
    }

    @Test
    void registerNeedsTheDummyStageThenLoginWhoamiLogout() {
        Client anon = new Client(base());
        var challenge = anon.post("/_matrix/client/v3/register", "{\"username\":\"uia\",\"password\":\"pw\"}");
        assertEquals(401, challenge.status());
        assertEquals("m.login.dummy", challenge.json().path("flows").path(0).path("stages").path(0).asString());
        assertFalse(challenge.json().path("session").asString("").isEmpty());

        Client alice = Client.register(base(), "alice", "secret");
        assertEquals("@alice:localhost", alice.userId);
        var taken = anon.post("/_matrix/client/v3/register", "{\"username\":\"alice\",\"password\":\"x\","
                + "\"auth\":{\"type\":\"m.login.dummy\"}}");
        assertEquals(400, taken.status());
        assertEquals("M_USER_IN_USE", taken.errcode());
        assertEquals("M_INVALID_USERNAME", anon.post("/_matrix/client/v3/register",
                "{\"username\":\"Not Valid\",\"auth\":{\"type\":\"m.login.dummy\"}}").errcode());

        var me = alice.ok(alice.get("/_matrix/client/v3/account/whoami"));
        assertEquals(alice.userId, me.path("user_id").asString());
        assertEquals(alice.deviceId, me.path("device_id").asString());

        Client second = alice.login("secret");
        assertNotEquals(alice.deviceId, second.deviceId);
        Client wrong = new Client(base());
        var denied = wrong.post("/_matrix/client/v3/login", """
                {"type":"m.login.password","identifier":{"type":"m.id.user","user":"alice"},"password":"nope"}""");
        assertEquals(403, denied.status());
        assertEquals("M_FORBIDDEN", denied.errcode());

        assertEquals(2, alice.ok(alice.get("/_matrix/client/v3/devices")).path("devices").size());
        alice.ok(second.post("/_matrix/client/v3/logout", "{}"));
        var gone = second.get("/_matrix/client/v3/account/whoami");
        assertEquals(401, gone.status());
        assertEquals("M_UNKNOWN_TOKEN", gone.errcode());
        assertEquals(1, alice.ok(alice.get("/_matrix/client/v3/devices")).path("devices").size());
    }

    @Test
    void missingTokenAndUnknownEndpoint() {
        Client anon = new Client(base());
        var r = anon.get("/_matrix/client/v3/account/whoami");
        assertEquals(401, r.status());
        assertEquals("M_MISSING_TOKEN", r.errcode());
        var unknown = anon.get("/_matrix/client/v3/no/such/thing");
        assertEquals(404, unknown.status());
        assertEquals("M_UNRECOGNIZED", unknown.errcode());
        assertEquals(405, anon.send("DELETE", "/_matrix/client/v3/account/whoami", null, null).status());
    }

    @Test
    void deviceManagementUsesPasswordAuth() {
        Client bob = Client.register(base(), "bob", "pw");
        Client other = bob.login("pw");
        var one = bob.ok(bob.get("/_matrix/client/v3/devices/" + other.deviceId));
        assertEquals(other.deviceId, one.path("device_id").asString());
        bob.ok(bob.put("/_matrix/client/v3/devices/" + other.deviceId, "{\"display_name\":\"laptop\"}"));
        assertEquals("laptop", bob.ok(bob.get("/_matrix/client/v3/devices/" + other.deviceId))
                .path("display_name").asString());
        assertEquals(404, bob.get("/_matrix/client/v3/devices/NOPE").status());

        var challenge = bob.delete("/_matrix/client/v3/devices/" + other.deviceId);
        assertEquals(401, challenge.status());
        String session = challenge.json().path("session").asString();
        assertEquals("m.login.password", challenge.json().path("flows").path(0).path("stages").path(0).asString());
        var wrong = bob.send("DELETE", "/_matrix/client/v3/devices/" + other.deviceId, """
                {"auth":{"type":"m.login.password","identifier":{"type":"m.id.user","user":"bob"},
                "password":"bad","session":"%s"}}""".formatted(session), "application/json");
        assertEquals(401, wrong.status());
        assertEquals("M_FORBIDDEN", wrong.errcode());
        bob.ok(bob.send("DELETE", "/_matrix/client/v3/devices/" + other.deviceId, """
                {"auth":{"type":"m.login.password","identifier":{"type":"m.id.user","user":"@bob:localhost"},
                "password":"pw","session":"%s"}}""".formatted(session), "application/json"));
        assertEquals(401, other.get("/_matrix/client/v3/account/whoami").status());
    }

    @Test
    void aBodyThatFailsTheSpecIsRejected() {
        Client anon = new Client(base());
        var r = anon.post("/_matrix/client/v3/login", "{\"type\":\"m.login.password\",\"identifier\":\"notanobject\"}");
        assertEquals(400, r.status());
        assertEquals("M_BAD_JSON", r.errcode());
        assertFalse(SERVER.server().rejectedRequests().isEmpty());
        var notJson = anon.send("POST", "/_matrix/client/v3/login", "{nope", "application/json");
        assertEquals(400, notJson.status());
        assertEquals("M_NOT_JSON", notJson.errcode());
    }
}
