package org.panolm.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A bare HTTP/2 client for the tests: sends JSON, returns status and JSON, knows nothing of Matrix. */
final class Client {
    static final JsonMapper JSON = new JsonMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    String token;
    String userId;
    String deviceId;

    Client(URI base) {
        this.base = base;
    }

    record Response(int status, JsonNode json, byte[] raw, HttpResponse<byte[]> http) {
        String errcode() {
            return json == null ? null : json.path("errcode").asString(null);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    Response get(String path) {
        return send("GET", path, null, null);
    }

    Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    Response post(String path, String json) {
        return send("POST", path, json, "application/json");
    }

    Response put(String path, String json) {
        return send("PUT", path, json, "application/json");
    }

    Response send(String method, String path, Object body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody()
                : body instanceof byte[] bytes ? HttpRequest.BodyPublishers.ofByteArray(bytes)
                : HttpRequest.BodyPublishers.ofString(body.toString());
        b.method(method, p);
        try {
            HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            String type = r.headers().firstValue("content-type").orElse("");
            JsonNode json = type.startsWith("application/json") ? JSON.readTree(r.body()) : null;
            return new Response(r.statusCode(), json, r.body(), r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Registers through the two-step user-interactive auth with m.login.dummy, and keeps the token. */
    static Client register(URI base, String localpart, String password) {
        Client c = new Client(base);
        String body = "{\"username\":\"" + localpart + "\",\"password\":\"" + password + "\"";
        Response challenge = c.post("/_matrix/client/v3/register", body + "}");
        if (challenge.status() != 401) {
            throw new AssertionError("expected a UIA challenge: " + challenge.status() + " " + challenge.json());
        }
        String session = challenge.json().path("session").asString();
        Response r = c.post("/_matrix/client/v3/register", body + ",\"auth\":{\"type\":\"m.login.dummy\","
                + "\"session\":\"" + session + "\"}}");
        if (r.status() != 200) {
            throw new AssertionError("register failed: " + r.status() + " " + r.json());
        }
        c.token = r.json().path("access_token").asString();
        c.userId = r.json().path("user_id").asString();
        c.deviceId = r.json().path("device_id").asString();
        return c;
    }

    Client login(String password) {
        Client c = new Client(base);
        Response r = c.post("/_matrix/client/v3/login", """
                {"type":"m.login.password","identifier":{"type":"m.id.user","user":"%s"},"password":"%s"}"""
                .formatted(userId, password));
        if (r.status() != 200) {
            throw new AssertionError("login failed: " + r.status() + " " + r.json());
        }
        c.token = r.json().path("access_token").asString();
        c.userId = r.json().path("user_id").asString();
        c.deviceId = r.json().path("device_id").asString();
        return c;
    }

    JsonNode ok(Response r) {
        if (r.status() != 200) {
            throw new AssertionError("HTTP " + r.status() + ": " + (r.json() != null ? r.json() : ""));
        }
        return r.json();
    }

    JsonNode sync(String since, long timeout) {
        return ok(get("/_matrix/client/v3/sync?timeout=" + timeout + (since == null ? "" : "&since=" + enc(since))));
    }

    String createRoom(String json) {
        return ok(post("/_matrix/client/v3/createRoom", json)).path("room_id").asString();
    }

    String sendEvent(String roomId, String type, String txn, String content) {
        return ok(put("/_matrix/client/v3/rooms/" + enc(roomId) + "/send/" + type + "/" + txn, content))
                .path("event_id").asString();
    }
}
