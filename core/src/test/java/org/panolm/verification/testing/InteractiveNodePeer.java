package org.panolm.verification.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.panolm.testing.Peer;

/**
 * A node peer that keeps its state across several exchanges (an interactive verification cannot be replayed
 * in one shot: the peer's ephemeral keys are random). One JSON line in, one JSON line out. Like
 * {@link Peer}, a missing peer fails the test.
 */
public final class InteractiveNodePeer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Writer in;
    private final BufferedReader out;

    public InteractiveNodePeer(String script) {
        var modules = Peer.root().resolve("interop/node/node_modules");
        if (!java.nio.file.Files.isDirectory(modules)) {
            fail("npm peers are not installed: run scripts/setup (npm ci in interop/node)");
        }
        try {
            process = new ProcessBuilder(List.of("node", "--no-warnings", Peer.root().resolve("interop/node").resolve(script).toString()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new AssertionError("node could not run (needs node and interop/node packages): " + e.getMessage(), e);
        }
        in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    public JsonNode call(Object command) {
        try {
            in.write(JSON.writeValueAsString(command));
            in.write('\n');
            in.flush();
            String line = out.readLine();
            if (line == null) {
                fail("peer exited early (exit " + (process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : "?") + ")");
            }
            JsonNode answer = JSON.readTree(line);
            if (answer.has("error")) {
                fail("peer failed: " + answer.get("error").textValue());
            }
            return answer;
        } catch (IOException e) {
            throw new AssertionError("talking to the peer failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        in.close();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
