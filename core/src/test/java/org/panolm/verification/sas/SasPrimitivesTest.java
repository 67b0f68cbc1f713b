package org.panolm.verification.sas;

import org.panolm.internal.json.CanonicalTree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.internal.json.CanonicalTree;
import org.panolm.json.CanonicalJson;

/** docs/formats.md §10.8: libolm's test_sas.cpp keys, the derived values, vodozemac's extremes, rust-sdk's commitment. */
class SasPrimitivesTest {
    static final HexFormat HEX = HexFormat.of();
    static final byte[] ALICE = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    static final byte[] BOB = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    static final String ALICE_PUB = "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo";
    static final String BOB_PUB = "3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08";

    @Test
    void libolmTestSasValues() {
        try (var alice = SasKeyPair.fromPrivateKey(ALICE); var bob = SasKeyPair.fromPrivateKey(BOB)) {
            assertEquals(ALICE_PUB, alice.publicKeyBase64());
            assertEquals(BOB_PUB, bob.publicKeyBase64());
            try (EstablishedSas a = alice.agree(BOB_PUB); EstablishedSas b = bob.agree(ALICE_PUB)) {
                assertEquals("3987a872e7b9", HEX.formatHex(a.generateBytes("SAS", 6)));
                assertArrayEquals(a.generateBytes("SAS", 6), b.generateBytes("SAS", 6));
                assertEquals("2nSMU3M+FMBTCWQg5IoIUoEErFZOjniAZTdqNhf+Dmo",
                        a.calculateMac("Hello world!", "MAC", SasMacMethod.HKDF_HMAC_SHA256_V2));
                assertEquals("2nSMU3M+FMBTCWQg5IoIUoEErFZOjniAZTdqNhf+Dmo",
                        a.calculateMac("Hello world!", "MAC", SasMacMethod.MSC3783));
                assertEquals("2nSMTXM+TStTU3RUVTNSVVZUTlNWVlpVVGxOV1ZscFY",
                        a.calculateMac("Hello world!", "MAC", SasMacMethod.HKDF_HMAC_SHA256));
                assertEquals("aYtxeF31MzG4ekc0ZWtjMFpXdGpNRnBYZEdwTlJuQlk",
                        a.calculateMac("Hello world!", "MAC", SasMacMethod.HMAC_SHA256_LONG_KDF));
                assertTrue(b.verifyMac("Hello world!", "MAC", SasMacMethod.HKDF_HMAC_SHA256_V2,
                        "2nSMU3M+FMBTCWQg5IoIUoEErFZOjniAZTdqNhf+Dmo"));
                assertFalse(b.verifyMac("Hello world!", "MAC", SasMacMethod.HKDF_HMAC_SHA256_V2,
                        "2nSMU3M+FMBTCWQg5IoIUoEErFZOjniAZTdqNhf+Dmp"));
                assertFalse(b.verifyMac("Hello world!", "MAC", SasMacMethod.HKDF_HMAC_SHA256_V2, null));
            }
        }
    }

    @Test
    void fullSasInfoExample() {
        String info = SasInfo.sasBytes("@alice:example.com", "AAAAAAAAAA", ALICE_PUB, "@bob:example.com",
                "BBBBBBBBBB", BOB_PUB, "$txn");
        try (var alice = SasKeyPair.fromPrivateKey(ALICE); EstablishedSas a = alice.agree(BOB_PUB)) {
            ShortAuthenticationString sas = a.shortAuthenticationString(info);
            assertEquals("fc3a0e3b640e", HEX.formatHex(sas.bytes()));
            assertArrayEquals(new int[] {63, 3, 40, 14, 14, 54, 16}, sas.emojiIndices());
            assertEquals(List.of("Pin", "Horse", "Gift", "Butterfly", "Butterfly", "Rocket", "Tree"),
                    sas.emoji().stream().map(SasEmoji::description).toList());
            assertEquals(new DecimalCode(9071, 3104, 8602), sas.decimals());
            String macInfo = SasInfo.macBase("@alice:example.com", "AAAAAAAAAA", "@bob:example.com", "BBBBBBBBBB",
                    "$txn") + "ed25519:AAAAAAAAAA";
            assertEquals("as1eHyXfjX+eR5RYmlMZjnwO9RQ8C+NNB1hNYvASgBc",
                    a.calculateMac("dummykeybase64", macInfo, SasMacMethod.HKDF_HMAC_SHA256_V2));
        }
    }

    @Test
    void vodozemacExtremes() {
        var zeros = new ShortAuthenticationString(new byte[6]);
        assertArrayEquals(new int[7], zeros.emojiIndices());
        assertEquals(new DecimalCode(1000, 1000, 1000), zeros.decimals());
        byte[] ff = new byte[6];
        java.util.Arrays.fill(ff, (byte) 0xFF);
        var ones = new ShortAuthenticationString(ff);
        assertArrayEquals(new int[] {63, 63, 63, 63, 63, 63, 63}, ones.emojiIndices());
        assertEquals(new DecimalCode(9191, 9191, 9191), ones.decimals());
        assertEquals(Status.INVALID_ARGUMENT,
                assertThrows(PanolmException.class, () -> new ShortAuthenticationString(new byte[5])).status());
    }

    @Test
    void emojiTableMatchesTheSpec() {
        assertEquals(64, SasEmoji.TABLE.size());
        assertEquals(new SasEmoji(0, "\uD83D\uDC36", "Dog"), SasEmoji.of(0));
        assertEquals(new SasEmoji(21, "\u2601\uFE0F", "Cloud"), SasEmoji.of(21));
        assertEquals(new SasEmoji(34, "\uD83D\uDD27", "Spanner"), SasEmoji.of(34));
        assertEquals(new SasEmoji(38, "\u231B", "Hourglass"), SasEmoji.of(38));
        assertEquals(new SasEmoji(53, "\u2708\uFE0F", "Aeroplane"), SasEmoji.of(53));
        assertEquals(new SasEmoji(63, "\uD83D\uDCCC", "Pin"), SasEmoji.of(63));
        assertThrows(IllegalArgumentException.class, () -> SasEmoji.of(64));
    }

    @Test
    void rustSdkCommitmentVector() {
        String start = "{\"from_device\":\"XOWLHHFSWM\",\"transaction_id\":\"bYxBsirjUJO9osar6ST4i2M2NjrYLA7l\","
                + "\"method\":\"m.sas.v1\",\"key_agreement_protocols\":[\"curve25519-hkdf-sha256\",\"curve25519\"],"
                + "\"hashes\":[\"sha256\"],\"message_authentication_codes\":[\"hkdf-hmac-sha256\",\"hmac-sha256\"],"
                + "\"short_authentication_string\":[\"decimal\",\"emoji\"]}";
        var content = CanonicalTree.parse(start);
        assertEquals("CCQmB4JCdB0FW21FdAnHj/Hu8+W9+Nb0vgwPEnZZQ4g",
                SasCommitment.compute("Q/NmNFEUS1fS+YeEmiZkjjblKTitrKOAk7cPEumcMlg", content));
        assertTrue(SasCommitment.matches("CCQmB4JCdB0FW21FdAnHj/Hu8+W9+Nb0vgwPEnZZQ4g",
                "Q/NmNFEUS1fS+YeEmiZkjjblKTitrKOAk7cPEumcMlg", content));
        assertFalse(SasCommitment.matches("CCQmB4JCdB0FW21FdAnHj/Hu8+W9+Nb0vgwPEnZZQ4g",
                "R/NmNFEUS1fS+YeEmiZkjjblKTitrKOAk7cPEumcMlg", content));
    }

    @Test
    void keyAgreementRejectsLowOrderAndMalformedKeys() {
        try (var alice = SasKeyPair.fromPrivateKey(ALICE)) {
            var zero = assertThrows(PanolmException.class, () -> alice.agree("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
            assertEquals(Status.NON_CONTRIBUTORY, zero.status());
            assertEquals(Status.BAD_KEY, assertThrows(PanolmException.class, () -> alice.agree("AAAA")).status());
            assertEquals(Status.BAD_BASE64, assertThrows(PanolmException.class, () -> alice.agree("not base64!")).status());
        }
    }

    @Test
    void closedObjectsRefuseUse() {
        var pair = SasKeyPair.fromPrivateKey(ALICE);
        EstablishedSas sas = pair.agree(BOB_PUB);
        assertThrows(IllegalStateException.class, () -> pair.agree(BOB_PUB), "one agreement per key pair");
        sas.close();
        sas.close();
        assertThrows(IllegalStateException.class, () -> sas.generateBytes("SAS", 6));
        assertFalse(sas.toString().contains("4a5d9d5b"), "no secret in toString");
    }
}
