package org.panolm.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A node peer that keeps its state across several exchanges (an interactive verification cannot be replayed
 * in one shot: the peer's ephemeral keys are random). One JSON line in, one JSON line out, each answer
 * awaited at most a minute. A missing peer fails the test (never skips it). Every module's interop tests with
 * a stateful npm peer (matrix-sdk-crypto-wasm's OlmMachine, SAS, QR, pickles) use this one.
 */
public final class InteractiveNodePeer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EOF = "\u0000eof";
    private final Process process;
    private final Writer in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    public InteractiveNodePeer(String script) {
        var modules = Peers.root().resolve("interop/node/node_modules");
        if (!Files.isDirectory(modules)) {
            fail("npm peers are not installed: run scripts/setup (npm ci in interop/node)");
        }
        try {
            process = new ProcessBuilder(List.of("node", "--no-warnings",
                    Peers.root().resolve("interop/node").resolve(script).toString()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new AssertionError("node could not run (needs node and interop/node packages): " + e.getMessage(), e);
        }
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread.ofVirtual().start(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
            lines.add(EOF);
        });
    }

    public JsonNode call(Object command) {
        try {
            in.write(JSON.writeValueAsString(command));
            in.write('\n');
            in.flush();
            String line = lines.poll(60, TimeUnit.SECONDS);
            if (line == null) {
                process.destroyForcibly();
                fail("peer did not answer within a minute");
            }
            if (line.equals(EOF)) {
                fail("peer exited early");
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
    public void close() throws IOException {
        in.close();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
