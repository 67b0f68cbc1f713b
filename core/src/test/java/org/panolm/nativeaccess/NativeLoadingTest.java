package org.panolm.nativeaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.panolm.bindings.NativeLibraries;
import org.panolm.bindings.panolm_h;

class NativeLoadingTest {
    @Test
    void libpanolmComesFromThePlatformJar() {
        assertEquals(NativeLibraries.EXPECTED_ABI_VERSION, panolm_h.panolm_abi_version());
        String source = NativeLibraries.panolmSource();
        String jar = "panolm-native-" + NativeLibraries.javaVersion() + "-linux-x86_64.jar!/org/panolm/native/"
                + "linux-x86_64/libpanolm.so";
        assertTrue(source.startsWith("jar:") && source.endsWith(jar),
                "core's tests must load libpanolm from the linux-x86_64 jar of panolm-native, not a build folder: "
                        + source);
    }

    @Test
    @SuppressWarnings("restricted") // the library's static version string, bounded here
    void libraryAndJarReportOneVersion() {
        String version = NativeLibraries.javaVersion();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), version);
        assertEquals(version, panolm_h.panolm_version().reinterpret(128).getString(0));
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
