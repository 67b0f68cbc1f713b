package org.panolm.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The loader's version handshake and platform name, without loading the library (core's tests load it). */
class NativeLibrariesHandshakeTest {
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
}
