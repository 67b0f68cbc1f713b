package org.panolm.olm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;

/** Known answers of docs/formats.md §10.8 (libolm's test_sas.cpp keys) and two-party agreement. */
class SasTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] ALICE = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    private static final byte[] BOB = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void libolmVectors() {
        try (Sas alice = Sas.withRandom(ALICE); Sas bob = Sas.withRandom(BOB)) {
            assertEquals("hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo", MatrixBase64.encode(alice.publicKey()));
            assertEquals("3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08", MatrixBase64.encode(bob.publicKey()));
            alice.setTheirPublicKey(bob.publicKey());
            assertEquals("3987a872e7b9", HEX.formatHex(alice.generateBytes(ascii("SAS"), 6)));
            byte[] input = ascii("Hello world!");
            byte[] info = ascii("MAC");
            assertEquals("2nSMU3M+FMBTCWQg5IoIUoEErFZOjniAZTdqNhf+Dmo", MatrixBase64.encode(alice.calculateMac(input, info)));
            assertEquals("2nSMTXM+TStTU3RUVTNSVVZUTlNWVlpVVGxOV1ZscFY", alice.calculateMacLegacyBase64(input, info));
            assertEquals("aYtxeF31MzG4ekc0ZWtjMFpXdGpNRnBYZEdwTlJuQlk", alice.calculateMacLongKdf(input, info));
        }
    }

    @Test
    void fullSasInfoVectorGivesTheSpecNotesEmojiBytesAndMac() {
        String info = "MATRIX_KEY_VERIFICATION_SAS|@alice:example.com|AAAAAAAAAA|hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo"
                + "|@bob:example.com|BBBBBBBBBB|3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08|$txn";
        String macInfo = "MATRIX_KEY_VERIFICATION_MAC@alice:example.comAAAAAAAAAA@bob:example.comBBBBBBBBBB$txned25519:AAAAAAAAAA";
        try (Sas alice = Sas.withRandom(ALICE); Sas bob = Sas.withRandom(BOB)) {
            alice.setTheirPublicKey(bob.publicKey());
            bob.setTheirPublicKey(alice.publicKey());
            assertEquals("fc3a0e3b640e", HEX.formatHex(alice.generateBytes(ascii(info), 6)));
            assertEquals("fc3a0e3b640e", HEX.formatHex(bob.generateBytes(ascii(info), 6)));
            assertEquals("as1eHyXfjX+eR5RYmlMZjnwO9RQ8C+NNB1hNYvASgBc",
                    MatrixBase64.encode(bob.calculateMac(ascii("dummykeybase64"), ascii(macInfo))));
        }
    }

    @Test
    void twoRandomPartiesAgree() {
        try (Sas a = Sas.create(); Sas b = Sas.create()) {
            assertFalse(a.isTheirKeySet());
            a.setTheirPublicKey(b.publicKey());
            b.setTheirPublicKey(a.publicKey());
            assertTrue(a.isTheirKeySet());
            assertArrayEquals(a.generateBytes(ascii("info"), 6), b.generateBytes(ascii("info"), 6));
            assertArrayEquals(a.calculateMac(ascii("key"), ascii("id")), b.calculateMac(ascii("key"), ascii("id")));
            assertEquals(a.calculateMacLegacyBase64(ascii("k"), ascii("i")), b.calculateMacLegacyBase64(ascii("k"), ascii("i")));
            assertFalse(java.util.Arrays.equals(a.generateBytes(ascii("info"), 6), a.generateBytes(ascii("other"), 6)));
        }
    }

    @Test
    void errors() {
        try (Sas sas = Sas.create()) {
            var notSet = assertThrows(OlmException.class, () -> sas.generateBytes(ascii("SAS"), 6));
            assertEquals(OlmError.SAS_THEIR_KEY_NOT_SET, notSet.error());
            assertEquals(OlmError.SAS_THEIR_KEY_NOT_SET,
                    assertThrows(OlmException.class, () -> sas.calculateMac(ascii("a"), ascii("b"))).error());
            assertEquals(Status.NON_CONTRIBUTORY,
                    assertThrows(PanolmException.class, () -> sas.setTheirPublicKey(new byte[32])).status());
            assertEquals(Status.BAD_KEY,
                    assertThrows(PanolmException.class, () -> sas.setTheirPublicKey(new byte[33])).status());
            assertFalse(sas.isTheirKeySet());
            try (Sas other = Sas.create()) {
                sas.setTheirPublicKey(other.publicKey());
            }
            assertEquals(Status.INVALID_ARGUMENT,
                    assertThrows(PanolmException.class, () -> sas.generateBytes(ascii("SAS"), 0)).status());
        }
        Sas closed = Sas.create();
        closed.close();
        closed.close();
        assertThrows(IllegalStateException.class, closed::publicKey);
        assertThrows(IllegalStateException.class, () -> closed.setTheirPublicKey(new byte[32]));
    }
}
