package org.panolm.benchmarks.jdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import org.panolm.subtle.Kdf;

/** The JDK's PBKDF2 and the JDK export-file baseline against published vectors and libpanolm. */
class JdkKdfAndExportTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void pbkdf2MatchesMatrixRustSdkVectorAndLibpanolm() throws Exception {
        byte[] salt = utf8("IuLnH7S85YtZmkkBJKwNUKxWF42g9O1H");
        byte[] key = new JdkPbkdf2().derive("It's a secret to everybody".toCharArray(), salt, 10, 32);
        assertEquals("397aff44a04238741cff9b76b38126073c34bf25599fa9969287f01ccf77559f", HexFormat.of().formatHex(key));
        assertArrayEquals(Kdf.pbkdf2Sha512(utf8("ünïcode passphrase"), salt, 1000, 64),
                new JdkPbkdf2().derive("ünïcode passphrase".toCharArray(), salt, 1000, 64));
    }

    @Test
    void decryptsElementsPublishedExportVectors() throws Exception {
        var export = new JdkKeyExport();
        String one = "-----BEGIN MEGOLM SESSION DATA-----\n"
                + "AXNhbHRzYWx0c2FsdHNhbHSIiIiIiIiIiIiIiIiIiIiIAAAACmIRUW2OjZ3L2l6j9h0lHlV3M2dx"
                + "cissyYBxjsfsAndErh065A8=\n-----END MEGOLM SESSION DATA-----\n";
        assertEquals("plain", new String(export.decrypt(one, "password".toCharArray()), StandardCharsets.UTF_8));
        String three = "-----BEGIN MEGOLM SESSION DATA-----\n"
                + "AXllc3NhbHR5Z29vZG5lc3P//////////wAAAAAAAAAAAAAD6OIW+Je7gwvjd4kYrb+49gKCfExw"
                + "MgJBMD4mrhLkmgAngwR1pHjbWXaoGybtiAYr0moQ93GrBQsCzPbvl82rZhaXO3iH5uHo/RCEpOqp"
                + "Pgg29363BGR+/Ripq/VCLKGNbw==\n-----END MEGOLM SESSION DATA-----\n";
        assertEquals("alphanumerically".repeat(4),
                new String(export.decrypt(three, "SWORDFISH".toCharArray()), StandardCharsets.UTF_8));
    }

    @Test
    void roundTripsAndRejectsAWrongPassphrase() throws Exception {
        var export = new JdkKeyExport();
        byte[] json = utf8("[" + "{\"algorithm\":\"m.megolm.v1.aes-sha2\"},".repeat(40) + "{}]");
        String file = export.encrypt(json, "pass".toCharArray(), 1000);
        assertArrayEquals(json, export.decrypt(file, "pass".toCharArray()));
        assertThrows(GeneralSecurityException.class, () -> export.decrypt(file, "wrong".toCharArray()));
    }
}
