package org.panolm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.panolm.testsupport.Peers;

/**
 * {@link NativeHandle} is the one owner of long-lived native memory in core: nothing else registers a
 * Cleaner or opens a shared, automatic or global arena. The files still doing so are listed here, with
 * why, so that the list can only shrink.
 */
class OneNativeOwnerTest {
    private static final Pattern OWNS = Pattern.compile("Cleaner\\.create\\(|Arena\\.of(Shared|Auto)\\(|Arena\\.global\\(");

    /** Not yet moved: backup is being reworked in another branch; GrowableSegment is a scratch buffer a batch owns. */
    private static final Set<String> NOT_YET = Set.of("org/panolm/backup/BackupDecryptionKey.java",
            "org/panolm/megolm/GrowableSegment.java");

    @Test
    void onlyNativeHandleOwnsNativeMemory() throws IOException {
        Path main = Peers.root().resolve("core/src/main/java");
        Set<String> owners = new TreeSet<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (OWNS.matcher(Files.readString(f)).find()) {
                    owners.add(main.relativize(f).toString().replace('\\', '/'));
                }
            }
        }
        Set<String> expected = new TreeSet<>(NOT_YET);
        expected.add("org/panolm/internal/NativeHandle.java");
        assertEquals(expected, owners);
    }
}
