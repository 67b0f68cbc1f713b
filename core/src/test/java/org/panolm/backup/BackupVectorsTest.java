package org.panolm.backup;

import static java.lang.foreign.MemorySegment.ofArray;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_backup_h;
import org.panolm.encoding.MatrixBase64;
import org.panolm.export.ExportedRoomKey;

/** Known answers of docs/formats.md §10.3: matrix-rust-sdk's test vector, js-sdk's key and a deterministic vector. */
class BackupVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    static final String RUST_PRIVATE = "Ha9cklU/9NqFo9WKdVfGzmqUL/9wlkdxfEitbSIPVXw";
    static final SessionData RUST_DATA = new SessionData("HlLi76oV6wxHz3PCqE/bxJi6yF1HnYz5Dq3T+d/KpRw",
            "MuM8E3Yc6TSAvhVGb77rQ++jE6p9dRepx63/3YPD2wACKAppkZHeFrnTH6wJ/HSyrmzo7HfwqVl6tKNpfooSTHqUf6x1LHz+h4B/Id5ITO1WYt16AaI40LOnZqTkJZCfSPuE2oxalwEHnCS3biWybutcnrBFPR3LMtaeHvvkb+k3ny9l5ZpsU9G7vCm3XoeYkWfLekWXvDhbqWrylXD0+CNUuaQJ/S527TzLd4XKctqVjjO/cCH7q+9utt9WJAfK8LGaWT/mZ3AeWjf5kiqOpKKf5Cn4n5SSil5p/pvGYmjnURvZSEeQIzHgvunIBEPtzK/MYEPOXe/P5achNGlCx+5N19Ftyp9TFaTFlTWCTi0mpD7ePfCNISrwpozAz9HZc0OhA8+1aSc7rhYFIeAYXFU326NuFIFHI5pvpSxjzPQlOA+mavIKmiRAtjlLw11IVKTxgrdT4N8lXeMr4ndCSmvIkAzFMo1uZA4fzjiAdQJE4/2WeXFNNpvdfoYmX8Zl9CAYjpSO5HvpwkAbk4/iLEH3hDfCVUwDfMh05PdGLnxeRpiEFWSMSsJNp+OWAA+5JsF41BoRGrxoXXT+VKqlUDONd+O296Psu8Q+d8/S618",
            "GtMrurhDTwo");

    @Test
    void decryptsTheRustSdkVector() {
        try (var key = BackupDecryptionKey.fromBase64(RUST_PRIVATE)) {
            assertEquals("6Q6b15s4YM2jCs38pHiN8wiRkiuCcvpsM9S3/qm31Co", key.publicKey().toBase64());
            ExportedRoomKey k = key.decrypt(RUST_DATA);
            assertEquals("m.megolm.v1.aes-sha2", k.algorithm());
            assertEquals("wREG/hBdSspoqM9xPCEXd/4YwjpBFXlsobRkyDTo/Q8", k.senderKey());
            assertEquals("AQAAAABwCEYsl5BrvPW0N8HTYP11phC7LOzItQLS3Zen6j1j9qMydUHVDeuMLxwo5i3GYfLWGjJEjsCj0Q99TZMABnJBCFg9MheV8cNSBfj7mHSZr6NP8aUAAAOhsY+cJwPDHxcnU181nAEs0fovHnonZGXs6iB/K6sKfuRWUNvX50ORohgDT3TGl0gQFed1FQEtn2Q1qT35iTRfe81SGOnFJrOM",
                    k.sessionKey());
            assertEquals(Map.of("ed25519", "MnNLGwn4j9ArCvtgU6o1jG8TgJaEXQpDTxz7QU0h7GM"), k.senderClaimedKeys());
            assertEquals(List.of(), k.forwardingCurve25519KeyChain());
        }
    }

    @Test
    void wrongKeyIsABadMacNamingTheField() {
        try (var key = BackupDecryptionKey.generate()) {
            var e = assertThrows(PanolmException.class, () -> key.decrypt(RUST_DATA));
            assertEquals(Status.BAD_MAC, e.status());
            assertEquals(true, e.getMessage().contains("session_data.mac"));
        }
    }

    @Test
    void jsSdkKeyAndItsRecoveryKey() {
        try (var key = BackupDecryptionKey.fromBase64("dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=")) {
            assertEquals("hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo", key.publicKey().toBase64());
            assertEquals("EsTc LW2K PGiF wKEA 3As5 g5c4 BXwk qeeJ ZJV8 Q9fu gUMN UE4d", key.toRecoveryKey());
            try (var again = BackupDecryptionKey.fromRecoveryKey(key.toRecoveryKey())) {
                assertEquals(key.publicKey(), again.publicKey());
            }
        }
    }

    /** matrix-js-sdk spec/test-utils/test-data: CURVE25519_KEY_BACKUP_DATA holds MEGOLM_SESSION_DATA. */
    @Test
    void restoresTheJsSdkBackupVectorAsAResponseBody() {
        String sessionId = "ipdI6Zs/7DzFTEhiA2iGaMDfHkIYCleqXT6L+5e1/co";
        String body = "{\"rooms\":{\"!room:id\":{\"sessions\":{\"" + sessionId + "\":{"
                + "\"first_message_index\":1,\"forwarded_count\":0,\"is_verified\":false,\"session_data\":{"
                + "\"ciphertext\":\"r6HRk2/Im2yJe5cLP8R81aVjFWjYWPHpw7TVxphiSK1cdIDZTTK57r6MfU+0i/mTPn+/PosT74OvYwCnehy2d1BPGxhDl8AhPcBu3//Kzlq2o5CssPsw+88gRehkAsPg9Zp5G9sL9to6giltvTWTbsaQpmvv3HLmBOYSFIxvyZrOT/Ffqu325f0IEsKcyV2BdIkw8Ob9Xt+VWoe4MYEGG6y1T8W125zeFgKWI4Ow76uput64H9zZjIo+Cc+hCTO9Ea4EnosSjizCotevkNck7C/zGgfhBikiohROb6SbaZgxicSsEDZ+f7brnri9yP3iXS3PMDHHpa1+XzG2VOG/Y9OQZpkPq+pbLrCC+NWJeJPslDAK5i+RURwzjnPmaHKCRHTq86CwhFyiCDf61MGwCY3xjrmBJg44BCdxWqCx0YJvwsvVqqnl4vTieUfrwThNPsQ81aVkDHvlmrgrTt8icDa8jTJhu34jem+pbRSEM5aJikV4B+zYiLz+dH/v6UpYA2eG8ReOvwpPXp6CAcIlplRPpWbMBeLFVcPkT4KAXTp9exFpB4on4pf8OsaDomlt4qAA0rhAZmhPWPKcU/A0Tz4gyMu54OivVtw1SPj+5Iq+YDQ8jB6Po3ApzMf6fwF9x/FjevbboFB05X2Jr0NrbFqXMOUwXHMgDAGiIWX8+gkmmbaiNWqg2etjN94pobQSGZelb18XGN7kuwMk+Zwk7A\","
                + "\"ephemeral\":\"q+P1WdRtEiPIEtNuuGrRcueZxUbLnSKdsuTAkxewXgU\",\"mac\":\"OibmACbORhI\"}}}}}}";
        try (var key = BackupDecryptionKey.fromBase64("dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=")) {
            RestoreResult result = key.decrypt(RoomKeysBody.fromJson(body.getBytes(StandardCharsets.UTF_8)));
            assertEquals(List.of(), result.failures());
            var r = result.keys().getFirst();
            assertEquals("!room:id", r.roomId());
            assertEquals(sessionId, r.sessionId());
            assertEquals("WimPd2udAU/1S/+YBpPbmr9L+0H5H+BnAVHSwDxlPGc", r.key().senderKey());
            assertEquals("AQAAAABXGO+Z9jlQJhIL6ByhXrv2BwCIxkhh7MXpKLsYmXkJcWrQlirmXmD79ga1zo+I4DCtEZzyGSpDWXBC6G7ez3H4gDMBam1RE3Jm5tc+oTlIri32UkYgSL0kBkcEnttqmIXBlK8tAfJo3cJnlh7F4ltEOAqrdME6dU0zXTkqXmURqYqXSOmbP+w8xUxIYgNohmjA3x5CGApXql0+i/uXtf3K",
                    r.key().sessionKey());
            assertEquals(Map.of("ed25519", "Bhbpt6hqMZlSH4sJV7xiEEEiPVeTWz4Vkujl1EMdIPI"), r.key().senderClaimedKeys());
            assertEquals(0, r.firstKnownIndex());
            assertEquals(new org.panolm.megolm.KeyProvenance.RestoredFromBackup(null, false), r.provenance());
            assertFalse(r.authenticated());
        }
    }

    /** Deterministic vector: backup key = RFC 7748 Alice, ephemeral = RFC 7748 Bob. */
    @Test
    void deterministicEncryptionMatchesTheVectorAndLibolmsMacQuirk() {
        byte[] backupPrivate = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] ephemeralPrivate = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        byte[] plaintext = ("{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"forwarding_curve25519_key_chain\":[],"
                + "\"sender_claimed_keys\":{},\"sender_key\":\"\",\"session_key\":\"\"}").getBytes(StandardCharsets.UTF_8);
        String expectedCiphertext = "9lq9DgATQh0Ey5ZaVGHfoeMtfpavaYtV17dAmUZKJ5KE2zq6WJ3ZNxzSc7vBLxZ92LDrQYg628RcotpdEqWh6K8IFGIxibaj6emMBbPWgEVA8g3wFdH9ba1L3UZQ1q11zhTuT3JMT2iLCjuXW9tTHXeLvsTu37vbyHdlZSK6RXMVSQQl6iVoGhL27Zu+pART";
        try (var key = BackupDecryptionKey.fromBytes(backupPrivate)) {
            byte[] eph = new byte[32];
            byte[] ct = new byte[(int) panolm_backup_h.panolm_backup_ciphertext_length(plaintext.length)];
            long[] ctLen = new long[1];
            byte[] mac = new byte[8];
            assertEquals(0, panolm_backup_h.panolm_backup_encrypt_with_ephemeral(ofArray(key.publicKey().bytes()),
                    ofArray(ephemeralPrivate), ofArray(plaintext), plaintext.length, ofArray(eph), ofArray(ct),
                    ct.length, ofArray(ctLen), ofArray(mac)));
            assertEquals("3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08", MatrixBase64.encode(eph));
            assertEquals(expectedCiphertext, MatrixBase64.encode(ct));
            assertEquals("zpzU6BkZcNI", MatrixBase64.encode(mac));

            ExportedRoomKey back = key.decrypt(new SessionData(MatrixBase64.encode(eph), expectedCiphertext, "zpzU6BkZcNI"));
            assertEquals("", back.sessionKey());
            // A MAC over the ciphertext, as the design intended, is what everyone rejects.
            var e = assertThrows(PanolmException.class, () -> key.decrypt(
                    new SessionData(MatrixBase64.encode(eph), expectedCiphertext, "AAAAAAAAAAA")));
            assertEquals(Status.BAD_MAC, e.status());
        }
    }

    @Test
    void strictPaddingAndLowOrderEphemeralAreRejected() {
        try (var key = BackupDecryptionKey.fromBase64(RUST_PRIVATE)) {
            byte[] ct = MatrixBase64.decode(RUST_DATA.ciphertext(), "ct");
            ct[ct.length - 17] ^= 0x01; // flips the last plaintext byte: the padding byte
            var e = assertThrows(PanolmException.class, () -> key.decrypt(
                    new SessionData(RUST_DATA.ephemeral(), MatrixBase64.encode(ct), RUST_DATA.mac())));
            assertEquals(Status.BAD_PADDING, e.status());
            var low = assertThrows(PanolmException.class, () -> key.decrypt(
                    new SessionData(MatrixBase64.encode(new byte[32]), RUST_DATA.ciphertext(), RUST_DATA.mac())));
            assertEquals(Status.NON_CONTRIBUTORY, low.status());
            var shortEph = assertThrows(PanolmException.class, () -> key.decrypt(
                    new SessionData("AAAA", RUST_DATA.ciphertext(), RUST_DATA.mac())));
            assertEquals(Status.BAD_KEY, shortEph.status());
            assertEquals(true, shortEph.getMessage().contains("session_data.ephemeral"));
        }
    }

    @Test
    void closedKeyCannotBeUsedAndToStringHidesTheSecret() {
        var key = BackupDecryptionKey.fromBase64(RUST_PRIVATE);
        String text = key.toString();
        assertEquals(false, text.contains(RUST_PRIVATE));
        assertEquals(true, text.contains("6Q6b15s4YM2jCs38pHiN8wiRkiuCcvpsM9S3/qm31Co"));
        key.close();
        key.close();
        assertThrows(IllegalStateException.class, () -> key.decrypt(RUST_DATA));
        assertThrows(IllegalStateException.class, key::toBase64);
        assertArrayEquals(MatrixBase64.decode("6Q6b15s4YM2jCs38pHiN8wiRkiuCcvpsM9S3/qm31Co", "pub"),
                key.publicKey().bytes());
    }
}
