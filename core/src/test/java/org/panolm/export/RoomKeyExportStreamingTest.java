package org.panolm.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export and import of 200,000 keys in a JVM limited to a 48 MiB heap: the file is about 150 MB of
 * text, so only streaming in both directions can pass.
 */
class RoomKeyExportStreamingTest {
    private static final int COUNT = 200_000;

    @TempDir
    Path dir;

    @Test
    void roundTripsInBoundedMemory() throws IOException, InterruptedException {
        Path file = dir.resolve("large.txt");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m", "-XX:+UseSerialGC", "-Xshare:auto",
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                BoundedMemoryRoundTrip.class.getName(), Integer.toString(COUNT), file.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child JVM timed out");
        assertEquals(0, p.exitValue(), output);
        String[] words = output.strip().split(" ");
        assertEquals("OK", words[0], output);
        assertEquals(COUNT, Integer.parseInt(words[1]));
        assertTrue(Long.parseLong(words[2]) > 100_000_000L, "the file is larger than the heap: " + words[2]);
        assertTrue(Long.parseLong(words[3]) < 48L << 20, "peak heap " + words[3]);
    }
}
