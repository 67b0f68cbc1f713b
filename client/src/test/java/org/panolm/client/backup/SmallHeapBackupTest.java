package org.panolm.client.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.testkit.TestHomeserver;

/**
 * Upload and restore of N keys over HTTP, from and into the engine's store, in a child JVM whose heap is a
 * fraction of the {@code GET /room_keys/keys} body: memory follows the batch size, not the backup's size.
 */
class SmallHeapBackupTest {
    private static final int HEAP_MB = 48;
    private static final int KEYS = 150_000;

    @Test
    void uploadAndRestoreOfABodySeveralTimesTheHeap(@TempDir Path dir) throws Exception {
        // Responses unvalidated: checking a body of this size against the schema is the parent's cost, not the client's.
        try (TestHomeserver server = TestHomeserver.builder().validateResponses(false).start()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx" + HEAP_MB + "m", "-cp",
                    System.getProperty("java.class.path"), SmallHeapBackupChild.class.getName(),
                    server.baseUrl().toString(), String.valueOf(KEYS), dir.toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(10, TimeUnit.MINUTES));
            assertEquals(0, p.exitValue(), out);
            Map<String, String> values = new HashMap<>();
            for (String line : out.split("\n")) {
                String[] kv = line.trim().split(" ", 2);
                if (kv.length == 2) values.put(kv[0], kv[1]);
            }
            assertEquals(String.valueOf(KEYS), values.get("uploaded"), out);
            assertEquals(String.valueOf(KEYS), values.get("serverCount"), out);
            assertEquals(String.valueOf(KEYS), values.get("restored"), out);
            assertEquals(String.valueOf(KEYS), values.get("held"), out);
            long maxHeap = Long.parseLong(values.get("maxHeap"));
            assertTrue(maxHeap <= (long) HEAP_MB << 20, out);

            long body = Long.parseLong(values.get("bodyBytes"));
            System.out.printf("SmallHeapBackupTest: %,d keys, GET /room_keys/keys body %,d bytes, child heap limit "
                    + "%,d bytes, child peak heap %,d bytes%n", KEYS, body, maxHeap, Long.parseLong(values.get("peakHeap")));
            assertTrue(body > 2 * maxHeap, "the body (" + body + " bytes) must be several times the heap (" + maxHeap + ")");
        }
    }
}
