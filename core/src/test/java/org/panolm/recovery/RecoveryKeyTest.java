package org.panolm.recovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.recovery.RecoveryKeyException.Reason;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.testsupport.Peers;

/** docs/formats.md §10.4 vectors (rust-sdk, js-sdk) and matrix-js-sdk's encodeRecoveryKey/decodeRecoveryKey as a peer. */
class RecoveryKeyTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void rustSdkBackupVector() {
        byte[] key = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        assertEquals("EsTc LW2K PGiF wKEA 3As5 g5c4 BXwk qeeJ ZJV8 Q9fu gUMN UE4d", RecoveryKey.encode(key));
        assertEquals("EsTcLW2KPGiFwKEA3As5g5c4BXwkqeeJZJV8Q9fugUMNUE4d", RecoveryKey.encodeCompact(key));
        assertArrayEquals(key, RecoveryKey.decode("EsTcLW2KPGiFwKEA3As5g5c4BXwkqeeJZJV8Q9fugUMNUE4d"));
        assertReason(Reason.BAD_PARITY, "EsTcLW2KPGiFwKEA3As5g5c4BXwkqeeJZJV8Q9fugUMNUE4e");
    }

    @Test
    void rustSdkSecretStorageVectorsWithOddWhitespace() {
        byte[] expected = new byte[32];
        int[] values = {159, 189, 70, 187, 52, 81, 113, 198, 246, 2, 44, 154, 37, 213, 104, 27, 165, 78, 236, 106, 108,
                73, 83, 243, 173, 192, 185, 110, 157, 145, 173, 163};
        for (int i = 0; i < 32; i++) expected[i] = (byte) values[i];
        assertArrayEquals(expected, RecoveryKey.decode("EsT           pRvZTnjck8    YrhRAtw XLS84Nr2r9S9LGAWDaExVAPBvLRK   "));
        // Any Unicode whitespace: tab, newline, no-break space, ideographic space.
        assertArrayEquals(expected, RecoveryKey.decode("EsTp\tRvZT\nnjck\u00A08Yrh\u3000RAtwXLS84Nr2r9S9LGAWDaExVAPBvLRK"));
        assertReason(Reason.BAD_PARITY, "EsTpRvZTnjck8YrhRAtwXLS84Nr2r9S9LGAWDaExVAPBvLRk");
        assertReason(Reason.BAD_PREFIX, "AATpRvZTnjck8YrhRAtwXLS84Nr2r9S9LGAWDaExVAPBvLRk");
        assertReason(Reason.BAD_LENGTH, "AATpRvZTnjck8YrhRAtwXLS84Nr2r9S9");
        assertReason(Reason.BAD_CHARACTER, "AATpRvZTnjck8YrhRAtwXLS84Nr0OIl");
    }

    @Test
    void jsSdkAndGeneratedVectors() {
        byte[] counting = new byte[32];
        for (int i = 0; i < 32; i++) counting[i] = (byte) i;
        assertEquals("EsSz ykH7 LCZx 7Cae cmKD wcmY JRXi Ybtu 8iQ3 t8Ez nRwK pUY1", RecoveryKey.encode(counting));
        // js-sdk reports "Incorrect parity" here because it checks parity first; the change also alters the
        // second prefix byte, and this codec checks the prefix before the parity (rust-sdk's order).
        assertReason(Reason.BAD_PREFIX, "EsSZ ykH7 LCZx 7Cae cmKD wcmY JRXi Ybtu 8iQ3 t8Ez nRwK pUY1");
        assertEquals("EsSz ygLv VP1b xF1C v7kE eBQx MxDP buG5 w25T L3b6 hfyG Kkrd", RecoveryKey.encode(new byte[32]));
        byte[] ff = new byte[32];
        java.util.Arrays.fill(ff, (byte) 0xFF);
        assertEquals("EsUK 2TRo ZKTB CKmv wEDA o6rq tTYu aKzp eJ9f 95nM 3VHk Xbnq", RecoveryKey.encode(ff));
    }

    @Test
    void distinctErrorsAndNoKeyInMessages() {
        assertReason(Reason.BAD_LENGTH, "");
        assertReason(Reason.BAD_LENGTH, "   ");
        assertReason(Reason.BAD_LENGTH, "EsTc LW2K PGiF wKEA 3As5 g5c4 BXwk qeeJ ZJV8 Q9fu gUMN UE4dd");
        assertReason(Reason.BAD_LENGTH, "1EsTc LW2K PGiF wKEA 3As5 g5c4 BXwk qeeJ ZJV8 Q9fu gUMN UE4d");
        assertReason(Reason.BAD_LENGTH, "z".repeat(500));
        var e = assertThrows(RecoveryKeyException.class,
                () -> RecoveryKey.decode("EsTcLW2KPGiFwKEA3As5g5c4BXwkqeeJZJV8Q9fugUMNUE4e"));
        assertFalse(e.getMessage().contains("EsTc"));
        assertEquals(Status.BAD_KEY, e.status());
        assertEquals(Status.BAD_BASE64, assertThrows(RecoveryKeyException.class,
                () -> RecoveryKey.decode("0sTcLW2KPGiFwKEA3As5g5c4BXwkqeeJZJV8Q9fugUMNUE4d")).status());
    }

    @Test
    void agreesWithMatrixJsSdkBothWays() {
        List<String> keys = new ArrayList<>();
        List<String> ours = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] k = SecureRandomBytes.next(32);
            keys.add(MatrixBase64.encode(k));
            ours.add(RecoveryKey.encode(k));
        }
        List<String> bad = List.of("EsTcLW2KPGiFwKEA3As5g5c4BXwkqeeJZJV8Q9fugUMNUE4e");
        List<String> decode = new ArrayList<>(ours);
        decode.addAll(bad);
        JsonNode out = Peers.node("backup/recovery_key.mjs", Map.of("encode", keys, "decode", decode));
        for (int i = 0; i < keys.size(); i++) {
            String theirs = out.get("encoded").get(i).asText();
            assertEquals(ours.get(i), theirs, "js-sdk encodes key " + i + " the same way");
            assertArrayEquals(MatrixBase64.decode(keys.get(i), "key"), RecoveryKey.decode(theirs));
            assertEquals(keys.get(i), out.get("decoded").get(i).get("key").asText(), "js-sdk decodes ours");
        }
        assertEquals("Incorrect parity", out.get("decoded").get(keys.size()).get("error").asText());
        assertReason(Reason.BAD_PARITY, bad.get(0));
    }

    private static void assertReason(Reason reason, String text) {
        assertEquals(reason, assertThrows(RecoveryKeyException.class, () -> RecoveryKey.decode(text)).reason());
    }
}
