package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code panolm testserver}: prints its URL, serves the Matrix API, keeps its data across a restart. (Not named
 * TestServerIT: Surefire runs every Test* class, and this one needs the packaged jar that Failsafe gets.)
 */
class HomeserverCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

    @TempDir
    Path data;

    private record Server(Process process, URI base) {}

    private static Server start(Path data) throws Exception {
        Process p = new ProcessBuilder(Cli.command("testserver", "--data", data.toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("http://127.0.0.1:"), "the first line is the base URL: " + line);
        return new Server(p, URI.create(line));
    }

    private static void stop(Server s) throws InterruptedException {
        s.process().destroy(); // SIGTERM: the shutdown hook stops the server and writes its state
        assertTrue(s.process().waitFor(30, TimeUnit.SECONDS), "testserver stops on SIGTERM");
    }

    private static JsonNode call(URI base, String method, String path, String token, String body, int status)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void servesTheMatrixApiAndKeepsItsDataAcrossARestart() throws Exception {
        Server first = start(data);
        String token;
        try {
            assertTrue(call(first.base(), "GET", "/_matrix/client/versions", null, null, 200).path("versions")
                    .isArray());
            call(first.base(), "POST", "/_matrix/client/v3/register", null, "{\"username\":\"carol\"}", 401);
            token = call(first.base(), "POST", "/_matrix/client/v3/register", null,
                    "{\"username\":\"carol\",\"password\":\"pw\",\"auth\":{\"type\":\"m.login.dummy\"}}", 200)
                    .path("access_token").asText();
            call(first.base(), "POST", "/_testkit/faults", null,
                    "{\"path\":\"/account/whoami\",\"kind\":\"error\",\"status\":502}", 200);
            call(first.base(), "GET", "/_matrix/client/v3/account/whoami", token, null, 502);
            assertEquals(0, call(first.base(), "GET", "/_testkit/violations", null, null, 200).size());
        } finally {
            stop(first);
        }
        Server second = start(data);
        try {
            assertEquals("@carol:localhost", call(second.base(), "GET", "/_matrix/client/v3/account/whoami", token,
                    null, 200).path("user_id").asText());
            assertEquals(0, call(second.base(), "GET", "/_testkit/violations", null, null, 200).size());
        } finally {
            stop(second);
        }
    }
}
