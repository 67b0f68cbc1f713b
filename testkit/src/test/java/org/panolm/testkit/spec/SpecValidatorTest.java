package org.panolm.testkit.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SpecValidatorTest {
    private static final JsonMapper JSON = new JsonMapper();
    private final SpecValidator spec = SpecValidator.get();

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    private SpecValidator.Match find(String method, String path) {
        return spec.find(method, List.of(path.substring(1).split("/", -1))).orElseThrow();
    }

    @Test
    void findsOperationsByPathAndMethodPreferringLiteralSegments() {
        assertEquals("getKeysChanges", find("GET", "/_matrix/client/v3/keys/changes").operation().operationId());
        var send = find("PUT", "/_matrix/client/v3/rooms/!r:x/send/m.room.message/t1");
        assertEquals("sendMessage", send.operation().operationId());
        assertEquals("t1", send.pathParams().get("txnId"));
        assertEquals("getRoomKeysVersionCurrent", find("GET", "/_matrix/client/v3/room_keys/version").operation()
                .operationId());
        assertEquals("getRoomKeysVersion", find("GET", "/_matrix/client/v3/room_keys/version/3").operation()
                .operationId());
        assertTrue(spec.find("GET", List.of("_matrix", "client", "v3", "no_such_endpoint")).isEmpty());
        assertEquals("inviteUser", find("POST", "/_matrix/client/v3/rooms/!r:x/invite").operation().operationId());
    }

    @Test
    void requestBodyAgainstItsSchema() {
        var op = find("POST", "/_matrix/client/v3/room_keys/version").operation();
        assertTrue(spec.validateRequest(op, json("""
                {"algorithm":"m.megolm_backup.v1.curve25519-aes-sha2","auth_data":{"public_key":"abc"}}""")).valid());
        var missing = spec.validateRequest(op, json("{\"algorithm\":\"m.megolm_backup.v1.curve25519-aes-sha2\"}"));
        assertFalse(missing.valid());
        assertTrue(missing.errors().toString().contains("auth_data"), missing.errors().toString());
        assertFalse(spec.validateRequest(op, json("""
                {"algorithm":"m.unknown","auth_data":{}}""")).valid());
    }

    @Test
    void referencedSchemasResolveAcrossFiles() {
        // PUT /room_keys/keys/{roomId}/{sessionId} takes definitions/key_backup_data.yaml.
        var op = find("PUT", "/_matrix/client/v3/room_keys/keys/!r:x/sess").operation();
        assertTrue(spec.validateRequest(op, json("""
                {"first_message_index":0,"forwarded_count":0,"is_verified":false,"session_data":{}}""")).valid());
        var bad = spec.validateRequest(op, json("""
                {"first_message_index":"zero","forwarded_count":0,"is_verified":false,"session_data":{}}"""));
        assertFalse(bad.valid());
        assertTrue(bad.errors().toString().contains("first_message_index"), bad.errors().toString());
    }

    @Test
    void responsesByStatus() {
        var op = find("GET", "/_matrix/client/v3/room_keys/version").operation();
        assertTrue(spec.validateResponse(op, 404, json("{\"errcode\":\"M_NOT_FOUND\",\"error\":\"none\"}")).valid());
        assertFalse(spec.validateResponse(op, 404, json("{\"error\":\"no errcode\"}")).valid());
        assertFalse(spec.validateResponse(op, 200, json("{\"algorithm\":\"m.megolm_backup.v1.curve25519-aes-sha2\"}"))
                .valid(), "version, auth_data, count and etag are required");
        // An error status the operation does not list is still checked against the generic error body.
        assertFalse(spec.validateResponse(op, 500, json("{\"oops\":1}")).valid());
        assertTrue(spec.validateResponse(op, 429, json("{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":5}"))
                .valid());
        assertFalse(spec.validateResponse(op, 429, json("{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":\"5\"}"))
                .valid());
        // A success status the spec does not list for the operation is a violation by itself.
        assertFalse(spec.validateResponse(op, 201, json("{}")).valid());
    }

    @Test
    void syncResponseUsesEventSchemas() {
        var op = find("GET", "/_matrix/client/v3/sync").operation();
        assertTrue(spec.validateResponse(op, 200, json("""
                {"next_batch":"s1","rooms":{"join":{"!r:x":{"timeline":{"events":[{"type":"m.room.message",
                "event_id":"$e","sender":"@a:x","origin_server_ts":1,"content":{"body":"hi","msgtype":"m.text"}}],
                "limited":false}}}}}""")).valid());
        var bad = spec.validateResponse(op, 200, json("""
                {"next_batch":"s1","rooms":{"join":{"!r:x":{"timeline":{"events":[{"type":"m.room.message",
                "sender":"@a:x","origin_server_ts":1,"content":{}}]}}}}}"""));
        assertFalse(bad.valid(), "an event without an event_id");
    }

    @Test
    void aWholeStateEventIsCheckedAsAStateEvent() {
        var op = find("GET", "/_matrix/client/v3/rooms/!r:x/state/m.room.topic/").operation();
        assertTrue(spec.validateResponse(op, 200, json("{\"topic\":\"t\"}")).valid());
        assertTrue(spec.validateResponse(op, 200, json("""
                {"type":"m.room.topic","state_key":"","content":{"topic":"t"},"event_id":"$e","sender":"@a:x",
                "origin_server_ts":1,"room_id":"!r:x"}""")).valid());
        assertFalse(spec.validateResponse(op, 200, json("""
                {"type":"m.room.topic","content":{"topic":"t"},"event_id":"$e","sender":"@a:x",
                "origin_server_ts":1,"room_id":"!r:x"}""")).valid(), "a state event without a state_key");
    }

    @Test
    void eventContents() {
        assertTrue(spec.validateEventContent("m.room.encryption", json("""
                {"algorithm":"m.megolm.v1.aes-sha2","rotation_period_ms":604800000}""")).valid());
        assertFalse(spec.validateEventContent("m.room.encryption", json("{\"rotation_period_ms\":1}")).valid());
        assertTrue(spec.validateEventContent("com.example.custom", json("{\"anything\":1}")).valid());
    }

    @Test
    void everyOperationsSchemasLoad() {
        JsonNode empty = json("{}");
        for (Operation op : spec.operations()) {
            spec.validateRequest(op, empty);
            spec.validateResponse(op, 200, empty);
        }
    }
}
