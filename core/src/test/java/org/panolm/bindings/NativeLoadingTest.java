package org.panolm.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NativeLoadingTest {
    @Test
    void libpanolmComesFromThePackagedJar() {
        assertEquals(NativeLibraries.EXPECTED_ABI_VERSION, panolm_h.panolm_abi_version());
        String source = NativeLibraries.panolmSource();
        assertTrue(source.startsWith("jar:") && source.contains("panolm-native"),
                "core's tests must load libpanolm from the panolm-native jar, not a build folder: " + source);
    }

    @Test
    void theLibolmOracleIsTheSystemLibrary() {
        assertNull(org.panolm.libolm.LibolmLibrary.unavailableReason());
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            var v = arena.allocate(3);
            org.panolm.libolm.olm_h.olm_get_library_version(v, v.asSlice(1), v.asSlice(2));
            assertEquals(3, v.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
        }
    }

    @Test
    @SuppressWarnings("restricted") // reading a C string the library owns: its length is bounded here
    void statusNamesMatchTheJavaEnum() {
        for (org.panolm.Status s : org.panolm.Status.values()) {
            var name = panolm_h.panolm_status_name(s.code()).reinterpret(64).getString(0);
            assertEquals(s.name(), name);
        }
    }
}
