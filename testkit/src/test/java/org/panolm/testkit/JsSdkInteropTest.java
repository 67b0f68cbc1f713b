package org.panolm.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * The proof that the server is enough for a real client: matrix-js-sdk with its Rust crypto
 * ({@code interop/node/testkit/jssdk_e2e.mjs}) registers two users, sets up cross-signing, secret storage and key
 * backup with a Security Key, exchanges encrypted messages in an encrypted room, and restores the backup on a
 * second device that then decrypts both messages. A missing Node peer fails the test.
 */
class JsSdkInteropTest {
    @Test
    void matrixJsSdkRunsTheWholeEncryptedJourney() throws Exception {
        Path node = root().resolve("interop/node");
        if (!Files.isDirectory(node.resolve("node_modules/matrix-js-sdk"))) {
            fail("matrix-js-sdk is not installed: run scripts/setup (npm ci in interop/node)");
        }
        try (TestHomeserver server = TestHomeserver.start()) {
            Process p = new ProcessBuilder("node", "--no-warnings", "testkit/jssdk_e2e.mjs",
                    server.baseUrl().toString()).directory(node.toFile()).start();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread pump = Thread.ofVirtual().start(() -> {
                try {
                    p.getErrorStream().transferTo(err);
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the js-sdk run timed out");
            }
            pump.join();
            String stdout = new String(out, StandardCharsets.UTF_8).strip();
            String last = stdout.substring(stdout.lastIndexOf('\n') + 1);
            String log = err.toString(StandardCharsets.UTF_8);
            String tail = log.substring(Math.max(0, log.length() - 6000));
            assertEquals(0, p.exitValue(), () -> "js-sdk run failed: " + last + "\n" + tail);
            JsonNode result = Client.JSON.readTree(last);
            assertTrue(result.path("ok").asBoolean(), last);
            assertEquals(2, result.path("restored").path("imported").asInt(), last);
            for (String who : List.of("bob_sees", "alice2_sees")) {
                JsonNode seen = result.path(who);
                assertEquals(2, seen.size(), who + ": " + seen);
                for (JsonNode ev : seen) {
                    assertTrue(ev.path("encrypted").asBoolean() && !ev.path("failed").asBoolean(), who + ": " + ev);
                }
                assertEquals("hello bob", seen.path(0).path("body").asString());
                assertEquals("hello alice", seen.path(1).path("body").asString());
            }
            server.assertNoViolations();
            assertEquals(List.of(), server.rejectedRequests(), "js-sdk sent a request the spec rejects");
        }
    }

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("interop"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root (a folder with interop/)");
        }
        return p;
    }
}
