package org.panolm.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import tools.jackson.databind.JsonNode;

class BackupTest {
    @RegisterExtension
    static final TestHomeserverExtension SERVER = new TestHomeserverExtension();

    private static int users;
    private static final String VERSION_BODY = """
            {"algorithm":"m.megolm_backup.v1.curve25519-aes-sha2","auth_data":{"public_key":"pk",
            "signatures":{}}}""";

    private static Client user() {
        return Client.register(SERVER.server().baseUrl(), "b" + (++users), "pw");
    }

    private static String key(int firstIndex, int forwarded, boolean verified, String marker) {
        return """
                {"first_message_index":%d,"forwarded_count":%d,"is_verified":%b,
                "session_data":{"ephemeral":"e","ciphertext":"%s","mac":"m"}}"""
                .formatted(firstIndex, forwarded, verified, marker);
    }

    private static String keysPath(String version, String room, String session) {
        return "/_matrix/client/v3/room_keys/keys/" + Client.enc(room) + "/" + session + "?version=" + version;
    }

    /** Session ids are base64: '/' and '+' travel percent-encoded in one path segment, as clients send them. */
    @Test
    void sessionIdsWithSlashAndPlus() {
        Client alice = user();
        String v = alice.ok(alice.post("/_matrix/client/v3/room_keys/version", VERSION_BODY)).path("version").asString();
        String session = "ab/cd+ef/gh";
        String encoded = Client.enc(session);
        assertTrue(encoded.contains("%2F"), encoded);
        alice.ok(alice.put(keysPath(v, "!s:localhost", encoded), key(0, 0, false, "slash")));
        JsonNode one = alice.ok(alice.get(keysPath(v, "!s:localhost", encoded)));
        assertEquals("slash", one.path("session_data").path("ciphertext").asString());
        JsonNode all = alice.ok(alice.get("/_matrix/client/v3/room_keys/keys?version=" + v));
        assertTrue(all.path("rooms").path("!s:localhost").path("sessions").has(session), all.toString());
        assertEquals(404, alice.get(keysPath(v, "!s:localhost", Client.enc("no/such+session"))).status());
    }

    @Test
    void versionsLifecycle() {
        Client alice = user();
        var none = alice.get("/_matrix/client/v3/room_keys/version");
        assertEquals(404, none.status());
        assertEquals("M_NOT_FOUND", none.errcode());
        String v1 = alice.ok(alice.post("/_matrix/client/v3/room_keys/version", VERSION_BODY)).path("version")
                .asString();
        JsonNode info = alice.ok(alice.get("/_matrix/client/v3/room_keys/version"));
        assertEquals(v1, info.path("version").asString());
        assertEquals(0, info.path("count").asInt());
        assertEquals("pk", info.path("auth_data").path("public_key").asString());
        String v2 = alice.ok(alice.post("/_matrix/client/v3/room_keys/version", VERSION_BODY)).path("version")
                .asString();
        assertNotEquals(v1, v2);
        assertEquals(v2, alice.ok(alice.get("/_matrix/client/v3/room_keys/version")).path("version").asString());

        // Update: only auth_data may change; a version in the body must match the path.
        alice.ok(alice.put("/_matrix/client/v3/room_keys/version/" + v2, VERSION_BODY.replace("\"pk\"", "\"pk2\"")));
        assertEquals("pk2", alice.ok(alice.get("/_matrix/client/v3/room_keys/version/" + v2)).path("auth_data")
                .path("public_key").asString());
        assertEquals("M_INVALID_PARAM", alice.put("/_matrix/client/v3/room_keys/version/" + v2,
                VERSION_BODY.replace("{\"algorithm\"", "{\"version\":\"" + v1 + "\",\"algorithm\"")).errcode());
        assertEquals(404, alice.put("/_matrix/client/v3/room_keys/version/99", VERSION_BODY).status());
        // A bad algorithm fails the spec's schema.
        assertEquals("M_BAD_JSON", alice.post("/_matrix/client/v3/room_keys/version",
                "{\"algorithm\":\"m.other\",\"auth_data\":{}}").errcode());

        // Deleting really removes it; deleting it again succeeds; the older version is current again.
        alice.ok(alice.put(keysPath(v2, "!r:localhost", "s1"), key(0, 0, false, "x")));
        alice.ok(alice.delete("/_matrix/client/v3/room_keys/version/" + v2));
        assertEquals(404, alice.get("/_matrix/client/v3/room_keys/version/" + v2).status());
        assertEquals(404, alice.get(keysPath(v2, "!r:localhost", "s1")).status());
        alice.ok(alice.delete("/_matrix/client/v3/room_keys/version/" + v2));
        assertEquals(v1, alice.ok(alice.get("/_matrix/client/v3/room_keys/version")).path("version").asString());
        alice.ok(alice.delete("/_matrix/client/v3/room_keys/version/" + v1));
        assertEquals(404, alice.get("/_matrix/client/v3/room_keys/version").status());
        assertEquals(404, alice.delete("/_matrix/client/v3/room_keys/version/77").status());
        // Backups are per user.
        assertEquals(404, user().get("/_matrix/client/v3/room_keys/version").status());
    }

    @Test
    void keysCountEtagAndWrongVersion() {
        Client alice = user();
        String v1 = alice.ok(alice.post("/_matrix/client/v3/room_keys/version", VERSION_BODY)).path("version")
                .asString();
        JsonNode r1 = alice.ok(alice.put(keysPath(v1, "!a:localhost", "s1"), key(0, 0, false, "a1")));
        assertEquals(1, r1.path("count").asInt());
        JsonNode r2 = alice.ok(alice.put("/_matrix/client/v3/room_keys/keys?version=" + v1, """
                {"rooms":{"!a:localhost":{"sessions":{"s2":%s}},"!b:localhost":{"sessions":{"s3":%s}}}}"""
                .formatted(key(0, 0, false, "a2"), key(0, 0, false, "b3"))));
        assertEquals(3, r2.path("count").asInt());
        assertNotEquals(r1.path("etag").asString(), r2.path("etag").asString(), "the etag follows the keys");
        JsonNode r3 = alice.ok(alice.put("/_matrix/client/v3/room_keys/keys/" + Client.enc("!b:localhost")
                + "?version=" + v1, "{\"sessions\":{\"s4\":" + key(0, 0, false, "b4") + "}}"));
        assertEquals(4, r3.path("count").asInt());
        JsonNode info = alice.ok(alice.get("/_matrix/client/v3/room_keys/version/" + v1));
        assertEquals(4, info.path("count").asInt());
        assertEquals(r3.path("etag").asString(), info.path("etag").asString());

        JsonNode all = alice.ok(alice.get("/_matrix/client/v3/room_keys/keys?version=" + v1));
        assertEquals(2, all.path("rooms").path("!a:localhost").path("sessions").size());
        assertEquals("b4", all.path("rooms").path("!b:localhost").path("sessions").path("s4").path("session_data")
                .path("ciphertext").asString());
        assertEquals(2, alice.ok(alice.get("/_matrix/client/v3/room_keys/keys/" + Client.enc("!b:localhost")
                + "?version=" + v1)).path("sessions").size());
        assertEquals(0, alice.ok(alice.get("/_matrix/client/v3/room_keys/keys/" + Client.enc("!none:localhost")
                + "?version=" + v1)).path("sessions").size());
        assertEquals(404, alice.get(keysPath(v1, "!a:localhost", "missing")).status());

        // Deletions: one session, one room, then all; count and etag follow.
        JsonNode d1 = alice.ok(alice.delete(keysPath(v1, "!a:localhost", "s1")));
        assertEquals(3, d1.path("count").asInt());
        JsonNode d2 = alice.ok(alice.delete("/_matrix/client/v3/room_keys/keys/" + Client.enc("!b:localhost")
                + "?version=" + v1));
        assertEquals(1, d2.path("count").asInt());
        JsonNode d3 = alice.ok(alice.delete("/_matrix/client/v3/room_keys/keys?version=" + v1));
        assertEquals(0, d3.path("count").asInt());
        assertNotEquals(d2.path("etag").asString(), d3.path("etag").asString());

        // A new version makes writes to the old one M_WRONG_ROOM_KEYS_VERSION, naming the current version.
        String v2 = alice.ok(alice.post("/_matrix/client/v3/room_keys/version", VERSION_BODY)).path("version")
                .asString();
        var wrong = alice.put(keysPath(v1, "!a:localhost", "s1"), key(0, 0, false, "late"));
        assertEquals(403, wrong.status());
        assertEquals("M_WRONG_ROOM_KEYS_VERSION", wrong.errcode());
        assertEquals(v2, wrong.json().path("current_version").asString());
        assertEquals("M_MISSING_PARAM", alice.get("/_matrix/client/v3/room_keys/keys").errcode());
        assertEquals("M_BAD_JSON", alice.put(keysPath(v2, "!a:localhost", "s1"), "{\"first_message_index\":0}")
                .errcode());
    }

    @Test
    void theServerKeepsTheBetterCopy() {
        Client alice = user();
        String v = alice.ok(alice.post("/_matrix/client/v3/room_keys/version", VERSION_BODY)).path("version")
                .asString();
        String path = keysPath(v, "!r:localhost", "s");
        String[][] uploads = {
            // {first_message_index, forwarded_count, is_verified, marker, kept marker afterwards}
            {"5", "1", "false", "start", "start"},
            {"6", "0", "false", "later index", "start"},      // a higher index loses
            {"3", "2", "false", "lower index", "lower index"}, // a lower index wins, whatever the forwards
            {"3", "3", "false", "more forwards", "lower index"},
            {"3", "1", "false", "fewer forwards", "fewer forwards"},
            {"3", "1", "false", "tie", "fewer forwards"},     // a tie keeps what is held
            {"9", "9", "true", "verified", "verified"},       // verified beats unverified, whatever else
            {"0", "0", "false", "unverified best", "verified"},
            {"8", "9", "true", "verified lower", "verified lower"},
        };
        for (String[] u : uploads) {
            String etagBefore = alice.ok(alice.get("/_matrix/client/v3/room_keys/version/" + v)).path("etag")
                    .asString();
            JsonNode r = alice.ok(alice.put(path, key(Integer.parseInt(u[0]), Integer.parseInt(u[1]),
                    Boolean.parseBoolean(u[2]), u[3])));
            String kept = alice.ok(alice.get(path)).path("session_data").path("ciphertext").asString();
            assertEquals(u[4], kept, "after uploading " + u[3]);
            assertEquals(1, r.path("count").asInt());
            assertEquals(u[3].equals(u[4]), !etagBefore.equals(r.path("etag").asString()),
                    "the etag changes exactly when the stored key does (" + u[3] + ")");
        }
        assertTrue(SERVER.server().violations().isEmpty());
    }

    /**
     * A whole backup far larger than one write buffer is sent while it is generated (no Content-Length) and
     * arrives complete and valid; a small body still carries its length.
     */
    @Test
    void aLargeBackupIsStreamedWhole() {
        Client alice = user();
        String v = alice.ok(alice.post("/_matrix/client/v3/room_keys/version", VERSION_BODY)).path("version")
                .asString();
        int n = 3000;
        StringBuilder body = new StringBuilder("{\"rooms\":{\"!big:localhost\":{\"sessions\":{");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",").append("\"s").append(i).append("\":").append(key(i, 0, false, "c" + i));
        }
        body.append("}}}}");
        alice.ok(alice.put("/_matrix/client/v3/room_keys/keys?version=" + v, body.toString()));
        var all = alice.get("/_matrix/client/v3/room_keys/keys?version=" + v);
        assertEquals(200, all.status());
        assertTrue(all.raw().length > 64 * 1024, "the body spans several buffers: " + all.raw().length);
        assertTrue(all.http().headers().firstValue("content-length").isEmpty(), "sent as generated");
        JsonNode sessions = all.json().path("rooms").path("!big:localhost").path("sessions");
        assertEquals(n, sessions.size());
        for (int i = 0; i < n; i += 997) {
            assertEquals("c" + i, sessions.path("s" + i).path("session_data").path("ciphertext").asString());
        }
        var small = alice.get("/_matrix/client/v3/room_keys/version/" + v);
        assertEquals(Long.toString(small.raw().length), small.http().headers().firstValue("content-length")
                .orElseThrow());
        assertTrue(SERVER.server().violations().isEmpty(), SERVER.server().violations().toString());
    }
}
