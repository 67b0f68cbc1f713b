package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code panolm demo} runs the main job end to end and checks every plaintext itself. */
class DemoIT {
    @Test
    void smallDemoChecksEveryMessage() {
        Cli.Result r = Cli.run("demo", "--rooms", "3", "--senders", "2", "--messages", "600", "--threads", "2",
                "--rotate", "50").expectExit(0);
        for (String stage : new String[] {"encrypt history", "share room keys over Olm (50 devices)",
                "receive room keys over Olm", "back up every room key", "restore keys with the Security Key",
                "bulk-decrypt the history", "check every plaintext"}) {
            assertTrue(r.stdout().contains(stage), r.stdout());
        }
        assertTrue(r.lastErrLine().equals("panolm demo: all 600 messages decrypted and checked"), r.stderr());
        assertTrue(r.stderr().contains("Megolm sessions"), r.stderr());
    }

    /**
     * The proof that no libolm code runs in the product: the dynamic loader's own record of every
     * library the demo's process loads (LD_DEBUG=libs) names libpanolm, and no libolm, while the demo runs
     * Olm (room keys shared with and decrypted by Olm accounts) and Megolm.
     */
    @Test
    void theDemoRunsWithoutLibolmLoaded(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("ld");
        Cli.Result r = Cli.run(null, Map.of("LD_DEBUG", "libs", "LD_DEBUG_OUTPUT", log.toString()),
                "demo", "--rooms", "2", "--senders", "2", "--messages", "300", "--threads", "2", "--rotate", "50",
                "--devices", "5").expectExit(0);
        assertTrue(r.stdout().contains("share room keys over Olm (6 devices)"), r.stdout());
        List<String> lines;
        try (Stream<Path> files = Files.list(dir)) {
            lines = files.filter(p -> p.getFileName().toString().startsWith("ld."))
                    .flatMap(p -> {
                        try {
                            return Files.readAllLines(p).stream();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList();
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("libpanolm.so") && l.contains("calling init")),
                "the loader's log must show libpanolm being loaded, or it proves nothing");
        assertFalse(lines.stream().anyMatch(l -> l.contains("libolm")),
                "libolm was loaded: " + lines.stream().filter(l -> l.contains("libolm")).findFirst().orElse(""));
    }
}
