package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A history far larger than the heap streams through: the command holds one batch, not the input. Here
 * about 60 MB of events pass through a JVM limited to a 24 MB heap, fed from a pipe.
 */
class BoundedMemoryIT {
    @TempDir
    Path dir;

    @Test
    void aHistoryLargerThanTheHeapStreamsThrough() throws Exception {
        int events = 150_000;
        String padding = "p".repeat(200);
        Path keys = History.write(dir, "keys.json", History.get().keys.toString());
        Path out = dir.resolve("out.jsonl");
        Cli.Result r = Cli.run(List.of("-Xmx24m"), stdin -> {
            for (int i = 0; i < events; i++) {
                // Encrypted events of a session nobody has a key for: every line goes the whole way through the
                // pipeline and the engine, and comes out with its code.
                stdin.write(("{\"type\":\"m.room.encrypted\",\"event_id\":\"$big" + i + "\",\"room_id\":\"!r:x\","
                        + "\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"session_id\":\"unknown" + (i % 7)
                        + "\",\"ciphertext\":\"AwgAEhAcbh6U" + padding + "\"}}\n").getBytes(StandardCharsets.UTF_8));
            }
        }, Map.of(), "history", "decrypt", "--keys", keys.toString(), "--out", out.toString(), "--batch-size", "1024")
                .expectExit(2);
        assertTrue(r.stderr().contains("panolm: 150,000 events: 0 decrypted, 150,000 failed (UNKNOWN_SESSION 150,000)"),
                r.stderr());
        long lines;
        try (var s = Files.lines(out)) {
            lines = s.count();
        }
        assertEquals(events, lines);
        assertTrue(Files.size(out) > 24L << 20, "the output alone is larger than the heap");
    }
}
