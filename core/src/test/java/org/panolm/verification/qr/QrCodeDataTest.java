package org.panolm.verification.qr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;

/** The QR payload codec: round trips, the spec's example layout, and rust-sdk's malformed cases (docs/formats.md §10.8). */
class QrCodeDataTest {
    static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    static Status statusOf(byte[] payload) {
        return assertThrows(PanolmException.class, () -> QrCodeData.decode(payload)).status();
    }

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void roundTripsInEveryMode() {
        for (QrVerificationMode mode : QrVerificationMode.values()) {
            for (String id : new String[] {"", "txn", "$event:example.org", "日本\uD83D\uDE00"}) {
                var data = new QrCodeData(mode, id, filled(32, 1), filled(32, 2), filled(16, 3));
                byte[] encoded = data.encode();
                assertEquals(data, QrCodeData.decode(encoded));
                assertArrayEquals(encoded, QrCodeData.decode(encoded).encode());
            }
        }
    }

    @Test
    void specExampleLayout() {
        String id = "!ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefgh"; // 45 bytes: length 0x002D
        var data = new QrCodeData(QrVerificationMode.VERIFYING_ANOTHER_USER, id, filled(32, 0xAA), filled(32, 0xBB),
                bytes("12345678"));
        byte[] encoded = data.encode();
        assertEquals("4d41545249580200002d2141424344", HexFormat.of().formatHex(encoded, 0, 15));
        assertEquals(6 + 1 + 1 + 2 + 45 + 64 + 8, encoded.length);
        assertArrayEquals(filled(32, 0xAA), Arrays.copyOfRange(encoded, 55, 87));
        assertArrayEquals(filled(32, 0xBB), Arrays.copyOfRange(encoded, 87, 119));
        assertArrayEquals(bytes("12345678"), Arrays.copyOfRange(encoded, 119, 127));
    }

    @Test
    void malformedPayloadsAreRejectedPrecisely() {
        assertEquals(Status.BAD_MESSAGE_FORMAT, statusOf(bytes("NonMatrixCode")));
        assertEquals(Status.TRUNCATED, statusOf(bytes("MATR")));
        assertEquals(Status.TRUNCATED, statusOf(new byte[0]));
        assertEquals(Status.TRUNCATED, statusOf(bytes("MATRIX")));
        assertEquals(Status.BAD_VERSION, statusOf(bytes("MATRIX\u0001\u0003")));
        assertEquals(Status.BAD_MESSAGE_FORMAT, statusOf(bytes("MATRIX\u0002\u0003")));
        assertEquals(Status.TRUNCATED, statusOf(bytes("MATRIX\u0002\u0002")), "missing data");
        assertEquals(Status.TRUNCATED, statusOf(bytes("MATRIX\u0002\u0000\u0000\u0005ab")), "inside the id");

        byte[] good = new QrCodeData(QrVerificationMode.SELF_VERIFYING_MASTER_KEY_TRUSTED, "txn", filled(32, 1),
                filled(32, 2), filled(8, 3)).encode();
        QrCodeData.decode(good);
        assertEquals(Status.BAD_KEY, statusOf(Arrays.copyOf(good, good.length - 1)), "7-byte secret");
        assertEquals(Status.TRUNCATED, statusOf(Arrays.copyOf(good, 6 + 4 + 3 + 40)), "inside the keys");
        var e = assertThrows(PanolmException.class, () -> QrCodeData.decode(Arrays.copyOf(good, good.length - 8)));
        assertTrue(e.getMessage().contains("0 bytes"), e.getMessage());
        assertEquals("QR payload", e.detail().subject());
        assertEquals("shared secret", e.detail().field());
        assertEquals(Long.valueOf(good.length - 8), e.detail().index(), "the secret starts where the payload ends");

        byte[] badUtf8 = good.clone();
        badUtf8[10] = (byte) 0xC3; // a lead byte followed by ASCII
        assertEquals(Status.BAD_MESSAGE_FORMAT, statusOf(badUtf8));
    }

    @Test
    void constructionChecksSizes() {
        assertEquals(Status.BAD_KEY, assertThrows(PanolmException.class, () -> new QrCodeData(
                QrVerificationMode.VERIFYING_ANOTHER_USER, "t", filled(31, 1), filled(32, 2), filled(8, 3))).status());
        assertEquals(Status.BAD_KEY, assertThrows(PanolmException.class, () -> new QrCodeData(
                QrVerificationMode.VERIFYING_ANOTHER_USER, "t", filled(32, 1), filled(32, 2), filled(7, 3))).status());
        assertEquals(Status.TOO_LARGE, assertThrows(PanolmException.class, () -> new QrCodeData(
                QrVerificationMode.VERIFYING_ANOTHER_USER, "x".repeat(65536), filled(32, 1), filled(32, 2),
                filled(8, 3))).status());
    }

    @Test
    void secretStaysOutOfToStringAndComparesExactly() {
        var data = new QrCodeData(QrVerificationMode.VERIFYING_ANOTHER_USER, "t", filled(32, 1), filled(32, 2),
                bytes("SECRETSECRET"));
        assertFalse(data.toString().contains("SECRET"));
        assertFalse(data.toString().contains(Arrays.toString(bytes("SECRETSECRET"))));
        assertTrue(data.secretMatches(bytes("SECRETSECRET")));
        assertFalse(data.secretMatches(bytes("SECRETSECRES")));
        assertFalse(data.secretMatches(bytes("SECRETSECRE")));
        assertFalse(data.secretMatches(null));
    }
}
