package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The independent implementations that make the fixtures: {@code interop/python/cli_*.py} (python3-olm and
 * matrix-nio) and {@code interop/node/cli/*.mjs} (matrix-sdk-crypto-wasm, matrix-js-sdk). JSON in on stdin,
 * JSON out on stdout. A missing peer fails the test: these fixtures are the interoperability proof.
 */
final class Peers {
    private Peers() {}

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path ROOT = findRoot();

    static JsonNode python(String script, Object input) {
        return run(List.of("/usr/bin/python3", ROOT.resolve("interop/python").resolve(script).toString()), input,
                "python3-olm and python3-matrix-nio (apt-get install python3-olm python3-matrix-nio)");
    }

    static JsonNode node(String script, Object input) {
        if (!Files.isDirectory(ROOT.resolve("interop/node/node_modules"))) {
            fail("the npm peers are not installed: run scripts/setup (npm ci in interop/node)");
        }
        return run(List.of("node", "--no-warnings", ROOT.resolve("interop/node").resolve(script).toString()), input,
                "node and the npm packages of interop/node (scripts/setup)");
    }

    private static JsonNode run(List<String> command, Object input, String needs) {
        try {
            Process p = new ProcessBuilder(command).start();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread pump = Thread.ofVirtual().start(() -> {
                try {
                    p.getErrorStream().transferTo(err);
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            try (var in = p.getOutputStream()) {
                in.write(JSON.writeValueAsBytes(input));
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("peer " + command + " timed out");
            }
            pump.join();
            if (p.exitValue() != 0) {
                fail("peer " + command + " exited " + p.exitValue() + " (needs " + needs + "):\n"
                        + err.toString(StandardCharsets.UTF_8));
            }
            return JSON.readTree(out);
        } catch (IOException e) {
            return fail("peer " + command + " could not run (needs " + needs + "): " + e.getMessage());
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
