package org.panolm.engine;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One engine driven over HTTP against a real homeserver (the testkit's): what a client's sync loop does, as small
 * as a test needs. A request the server refuses stays in the engine's queue and is kept in {@link #refused}.
 */
final class HomeserverDevice {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A refused request: its type, the HTTP status and the server's body. */
    record Refusal(RequestType type, int status, JsonNode body) {}

    final OlmMachine machine;
    final List<Refusal> refused = new ArrayList<>();
    private final URI base;
    private final String token;
    private String since;

    private HomeserverDevice(URI base, String token, OlmMachine machine) {
        this.base = base;
        this.token = token;
        this.machine = machine;
    }

    /** Registers {@code localpart} with a password (the server asks for a dummy auth stage) on a new device. */
    static ObjectNode register(URI base, String localpart, String password, String deviceId) {
        ObjectNode body = JSON.createObjectNode().put("username", localpart).put("password", password)
                .put("device_id", deviceId);
        body.putObject("auth").put("type", "m.login.dummy");
        return (ObjectNode) call(base, null, "POST", "/_matrix/client/v3/register", body.toString(), 200);
    }

    /** Logs {@code localpart} in on another device. */
    static ObjectNode login(URI base, String localpart, String password, String deviceId) {
        ObjectNode body = JSON.createObjectNode().put("type", "m.login.password").put("password", password)
                .put("device_id", deviceId);
        body.putObject("identifier").put("type", "m.id.user").put("user", localpart);
        return (ObjectNode) call(base, null, "POST", "/_matrix/client/v3/login", body.toString(), 200);
    }

    /** The engine for a logged-in device ({@code session}: the register or login answer). */
    static HomeserverDevice of(URI base, JsonNode session, OlmMachine machine) {
        return new HomeserverDevice(base, session.path("access_token").asText(), machine);
    }

    /** Sends what the engine asks for, in order, stopping at the first refusal; then syncs once. */
    void round() {
        for (OutgoingRequest r : machine.outgoingRequests()) {
            HttpResponse<String> response = send(base, token, r.method(), r.path(), r.bodyJson());
            if (response.statusCode() != 200) {
                refused.add(new Refusal(r.type(), response.statusCode(), parse(response.body())));
                break;
            }
            machine.markRequestSent(r.id(), response.body());
        }
        String path = "/_matrix/client/v3/sync?timeout=0"
                + (since == null ? "" : "&since=" + URLEncoder.encode(since, StandardCharsets.UTF_8));
        JsonNode sync = call(base, token, "GET", path, null, 200);
        since = sync.path("next_batch").asText();
        machine.receiveSyncChanges(SyncChanges.fromSyncResponse(sync.toString()), since);
    }

    /** A keys/query as this device, straight to the server (what others are shown). */
    JsonNode query(String user) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("device_keys").putArray(user);
        return call(base, token, "POST", "/_matrix/client/v3/keys/query", body.toString(), 200);
    }

    /** Creates a room with {@code other} invited (the server reports device-list changes of users we share a room with). */
    String createRoomWith(String other) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("invite").add(other);
        return call(base, token, "POST", "/_matrix/client/v3/createRoom", body.toString(), 200).path("room_id").asText();
    }

    /** Joins a room we were invited to. */
    void join(String roomId) {
        call(base, token, "POST", "/_matrix/client/v3/join/" + URLEncoder.encode(roomId, StandardCharsets.UTF_8), "{}", 200);
    }

    /** Rounds of every device until none has anything left to send (at most {@code rounds}). */
    static void settle(int rounds, HomeserverDevice... devices) {
        for (int i = 0; i < rounds; i++) {
            for (HomeserverDevice d : devices) d.round();
        }
    }

    private static JsonNode call(URI base, String token, String method, String path, String body, int expected) {
        HttpResponse<String> r = send(base, token, method, path, body);
        if (r.statusCode() != expected) throw new AssertionError(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        return parse(r.body());
    }

    private static HttpResponse<String> send(URI base, String token, String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
