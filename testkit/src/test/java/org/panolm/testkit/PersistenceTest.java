package org.panolm.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

class PersistenceTest {
    @TempDir
    Path data;

    @Test
    void aRestartKeepsUsersRoomsKeysBackupsAndMedia() throws Exception {
        String token;
        String room;
        String since;
        String version;
        String mxc;
        byte[] media = "attachment bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (TestHomeserver first = TestHomeserver.builder().dataDir(data).start()) {
            Client alice = Client.register(first.baseUrl(), "alice", "pw");
            token = alice.token;
            room = alice.createRoom("{\"name\":\"kept\"}");
            alice.sendEvent(room, "m.room.message", "t1", "{\"msgtype\":\"m.text\",\"body\":\"before\"}");
            alice.ok(alice.post("/_matrix/client/v3/keys/upload", """
                    {"one_time_keys":{"signed_curve25519:A":{"key":"a","signatures":{}}}}"""));
            version = alice.ok(alice.post("/_matrix/client/v3/room_keys/version", """
                    {"algorithm":"m.megolm_backup.v1.curve25519-aes-sha2","auth_data":{"public_key":"p"}}"""))
                    .path("version").asString();
            alice.ok(alice.put("/_matrix/client/v3/room_keys/keys/" + Client.enc(room) + "/s?version=" + version,
                    """
                    {"first_message_index":0,"forwarded_count":0,"is_verified":true,"session_data":{"x":1}}"""));
            mxc = alice.ok(alice.send("POST", "/_matrix/media/v3/upload", media, "text/plain")).path("content_uri")
                    .asString();
            since = alice.sync(null, 0).path("next_batch").asString();
            first.assertNoViolations();
        }
        try (TestHomeserver second = TestHomeserver.builder().dataDir(data).start()) {
            Client alice = new Client(second.baseUrl());
            alice.token = token; // the old access token still works
            assertEquals("@alice:localhost", alice.ok(alice.get("/_matrix/client/v3/account/whoami"))
                    .path("user_id").asString());
            alice.userId = "@alice:localhost";
            alice.login("pw"); // and so does the password
            JsonNode messages = alice.ok(alice.get("/_matrix/client/v3/rooms/" + Client.enc(room)
                    + "/messages?dir=b&limit=1"));
            assertEquals("before", messages.path("chunk").path(0).path("content").path("body").asString());
            assertEquals(1, alice.ok(alice.get("/_matrix/client/v3/room_keys/version")).path("count").asInt());
            assertArrayEquals(media, alice.get("/_matrix/client/v1/media/download/" + mxc.substring(6)).raw());
            // The stream goes on from where it was: the old token sees only what is new.
            alice.sendEvent(room, "m.room.message", "t2", "{\"msgtype\":\"m.text\",\"body\":\"after\"}");
            JsonNode next = alice.sync(since, 0);
            JsonNode timeline = next.path("rooms").path("join").path(room).path("timeline").path("events");
            assertEquals(1, timeline.size(), timeline.toString());
            assertEquals("after", timeline.path(0).path("content").path("body").asString());
            assertTrue(next.path("device_one_time_keys_count").path("signed_curve25519").asInt() == 1);
            second.assertNoViolations();
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(data.resolve("state.json"))));
        }
    }
}
