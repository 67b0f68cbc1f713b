package org.panolm.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs an independent implementation as a child process: a script under {@code interop/python} (Debian's
 * python3-olm and nio, through /usr/bin/python3) or {@code interop/node} (matrix-sdk-crypto-wasm,
 * matrix-js-sdk). JSON goes in on stdin and comes back on stdout. A missing peer fails the test: these
 * tests are the proof of interoperability, so they must never pass by skipping.
 */
public final class Peers {
    private Peers() {}

    /** The JSON mapper the tests share. */
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = findRoot();

    public static JsonNode python(String script, Object input) {
        return run(List.of("/usr/bin/python3", ROOT.resolve("interop/python").resolve(script).toString()), input,
                "python3-olm / python3-matrix-nio (apt-get install python3-olm python3-matrix-nio)");
    }

    public static JsonNode node(String script, Object input) {
        Path modules = ROOT.resolve("interop/node/node_modules");
        if (!Files.isDirectory(modules)) {
            fail("npm peers are not installed: run scripts/setup (npm ci in interop/node)");
        }
        return run(List.of("node", "--no-warnings", ROOT.resolve("interop/node").resolve(script).toString()), input,
                "node and the npm packages of interop/node (scripts/setup)");
    }

    public static Path root() {
        return ROOT;
    }

    private static JsonNode run(List<String> command, Object input, String install) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(false).start();
            byte[] in = input instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(input);
            var errors = new java.io.ByteArrayOutputStream();
            Thread errPump = Thread.ofVirtual().start(() -> {
                try {
                    p.getErrorStream().transferTo(errors);
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            try (var stdin = p.getOutputStream()) {
                stdin.write(in);
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("peer " + command + " timed out");
            }
            errPump.join();
            if (p.exitValue() != 0) {
                fail("peer " + command + " exited " + p.exitValue() + " (needs " + install + "):\n"
                        + errors.toString(StandardCharsets.UTF_8));
            }
            return JSON.readTree(out);
        } catch (IOException e) {
            return fail("peer " + command + " could not run (needs " + install + "): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    private static Path findRoot() {
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
