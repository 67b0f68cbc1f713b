package org.panolm.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

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
    void aMismatchIsOneErrorNamingBothVersions() {
        assertNull(NativeLibraries.mismatch("1.2.0", "1.2.0", NativeLibraries.EXPECTED_ABI_VERSION, "x"));
        assertEquals("libpanolm 1.1.0 (from jar:file:/m2/panolm-native-1.1.0-linux-x86_64.jar!/lib) does not "
                        + "match panolm-bindings 1.2.0. Use panolm-native 1.2.0 (import org.panolm:panolm-bom to "
                        + "keep the panolm artifacts at one version)",
                NativeLibraries.mismatch("1.2.0", "1.1.0", NativeLibraries.EXPECTED_ABI_VERSION,
                        "jar:file:/m2/panolm-native-1.1.0-linux-x86_64.jar!/lib"));
        // A different version decides even when the ABI differs too: that is what the user must change.
        assertTrue(NativeLibraries.mismatch("1.2.0", "1.1.0", NativeLibraries.EXPECTED_ABI_VERSION + 1, "x")
                .startsWith("libpanolm 1.1.0 (from x) does not match panolm-bindings 1.2.0."));
        assertEquals("libpanolm 1.2.0 (from /lib.so) has ABI version " + (NativeLibraries.EXPECTED_ABI_VERSION + 1)
                        + " but this panolm-bindings 1.2.0 expects " + NativeLibraries.EXPECTED_ABI_VERSION
                        + ": the two come from different builds of 1.2.0; rebuild them together",
                NativeLibraries.mismatch("1.2.0", "1.2.0", NativeLibraries.EXPECTED_ABI_VERSION + 1, "/lib.so"));
        assertTrue(NativeLibraries.mismatch("1.2.0", null, NativeLibraries.EXPECTED_ABI_VERSION, "/old.so")
                .startsWith("libpanolm from /old.so reports no version: it is older than this panolm-bindings 1.2.0."));
    }

    @Test
    void platformNamesTheClassifier() {
        assertEquals("linux-x86_64", NativeLibraries.platform()); // the only platform built today
    }

    @Test
    void libolmIsTheSystemLibrary() {
        assertNull(NativeLibraries.olmUnavailableReason());
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            var v = arena.allocate(3);
            olm_h.olm_get_library_version(v, v.asSlice(1), v.asSlice(2));
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
