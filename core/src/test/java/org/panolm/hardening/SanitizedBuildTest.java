package org.panolm.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.panolm.bindings.NativeLibraries;

/**
 * Guards scripts/sanitized-test: when it runs the suite ({@code -Dpanolm.expect.sanitized=true}), the
 * library loaded must be the sanitized build named by {@code panolm.library.path} and AddressSanitizer must
 * be in the process, or the run would prove nothing. In the ordinary run the bundled library is loaded.
 */
class SanitizedBuildTest {
    @Test
    void theExpectedLibraryIsLoaded() throws Exception {
        String source = NativeLibraries.panolmSource();
        if (!Boolean.getBoolean("panolm.expect.sanitized")) {
            assertTrue(source.startsWith("jar:") || System.getProperty(NativeLibraries.LIBRARY_PATH_PROPERTY) != null,
                    "libpanolm loaded from " + source);
            return;
        }
        Path expected = Path.of(System.getProperty(NativeLibraries.LIBRARY_PATH_PROPERTY)).toAbsolutePath();
        assertEquals(expected.toString(), source);
        String maps = java.nio.file.Files.readString(Path.of("/proc/self/maps"));
        assertTrue(maps.contains("libasan"), "AddressSanitizer's runtime is not loaded into the test JVM");
        assertTrue(maps.contains(expected.toString()), "the sanitized libpanolm is not mapped");
    }
}
