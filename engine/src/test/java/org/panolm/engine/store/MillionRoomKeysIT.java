package org.panolm.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000,000 room keys go into a store and stream back out in a JVM whose heap is 64 MB (the keys alone, as
 * records, would need several times that): the store's memory does not grow with its size. An integration test
 * (failsafe, {@code verify}): on two loaded cores it takes minutes, too long for every {@code mvn test}.
 */
class MillionRoomKeysIT {
    @TempDir
    Path dir;

    @Test
    void aMillionRoomKeysInAndOutInASmallHeap() throws Exception {
        Process child = ChildJvm.start(List.of("-Xmx64m"), MillionKeysChild.class, dir.resolve("million.db").toString(),
                "1000000");
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, child.waitFor(), out);
        assertEquals("1000000 1000000", out.lines().reduce((a, b) -> b).orElse(""), out);
    }
}
