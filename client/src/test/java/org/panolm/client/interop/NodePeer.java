package org.panolm.client.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.panolm.testsupport.Peers;

/** Runs a script of {@code interop/node/client} and returns its JSON summary; a missing peer fails the test. */
final class NodePeer {
    private NodePeer() {}

    static JsonNode run(String script, String... args) throws Exception {
        return runWithInput(script, null, args);
    }

    /** As {@link #run}, writing {@code stdin} (a secret such as a Security Phrase never goes in argv). */
    static JsonNode runWithInput(String script, String stdin, String... args) throws Exception {
        Path node = Peers.root().resolve("interop/node");
        if (!Files.isDirectory(node.resolve("node_modules/matrix-js-sdk"))) {
            fail("matrix-js-sdk is not installed: run scripts/setup (npm ci in interop/node)");
        }
        List<String> cmd = new ArrayList<>(List.of("node", "--no-warnings", "client/" + script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(node.toFile()).start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread pump = Thread.ofVirtual().start(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(script + " timed out");
        }
        pump.join();
        String stdout = new String(out, StandardCharsets.UTF_8).strip();
        String last = stdout.substring(stdout.lastIndexOf('\n') + 1);
        String log = err.toString(StandardCharsets.UTF_8);
        String tail = log.substring(Math.max(0, log.length() - 6000));
        assertEquals(0, p.exitValue(), () -> script + " failed: " + last + "\n" + tail);
        JsonNode result = new ObjectMapper().readTree(last);
        assertTrue(result.path("ok").asBoolean(), last);
        return result;
    }
}
