package org.panolm.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.export.RoomKeyExportException.Reason;
import org.panolm.recovery.Passphrase;

/** The native state machine: nothing is decrypted before the MAC verified, limits, close. */
class ExportBodyCipherTest {
    private static byte[] header(long rounds) {
        byte[] h = new byte[37];
        h[0] = 1;
        h[33] = (byte) (rounds >>> 24);
        h[34] = (byte) (rounds >>> 16);
        h[35] = (byte) (rounds >>> 8);
        h[36] = (byte) rounds;
        return h;
    }

    @Test
    void decryptsOnlyAfterAVerifiedMac() {
        byte[] plaintext = "[{\"room_id\":\"!r:x\"}]".getBytes();
        byte[] ciphertext = new byte[plaintext.length];
        byte[] mac = new byte[32];
        try (Passphrase p = Passphrase.of("pw")) {
            try (ExportBodyCipher enc = ExportBodyCipher.init(p, header(3), 10)) {
                enc.encrypt(plaintext, plaintext.length, ciphertext);
                enc.finish(mac);
                assertStatus(Status.INVALID_ARGUMENT, () -> enc.encrypt(plaintext, 1, ciphertext));
            }
            byte[] out = new byte[plaintext.length];
            try (ExportBodyCipher dec = ExportBodyCipher.init(p, header(3), 10)) {
                assertStatus(Status.BAD_MAC, () -> dec.decrypt(ciphertext, ciphertext.length, out));
                dec.macUpdate(ciphertext, 5);
                dec.macUpdate(java.util.Arrays.copyOfRange(ciphertext, 5, ciphertext.length), ciphertext.length - 5);
                dec.verify(mac);
                // Chunks of any size continue the counter.
                byte[] part = new byte[7];
                dec.decrypt(ciphertext, 7, part);
                byte[] rest = new byte[ciphertext.length - 7];
                dec.decrypt(java.util.Arrays.copyOfRange(ciphertext, 7, ciphertext.length), rest.length, rest);
                System.arraycopy(part, 0, out, 0, 7);
                System.arraycopy(rest, 0, out, 7, rest.length);
                assertArrayEquals(plaintext, out);
                dec.recheck(mac);
            }
            // A second pass that reads other bytes than the verified ones is caught at its end.
            try (ExportBodyCipher dec = ExportBodyCipher.init(p, header(3), 10)) {
                dec.macUpdate(ciphertext, ciphertext.length);
                dec.verify(mac);
                byte[] changed = ciphertext.clone();
                changed[2] ^= 4;
                dec.decrypt(changed, changed.length, out);
                assertEquals(Reason.CHANGED_WHILE_READING,
                        assertThrows(RoomKeyExportException.class, () -> dec.recheck(mac)).reason());
            }
            mac[0] ^= 1;
            try (ExportBodyCipher dec = ExportBodyCipher.init(p, header(3), 10)) {
                dec.macUpdate(ciphertext, ciphertext.length);
                assertEquals(Reason.WRONG_PASSPHRASE, assertThrows(RoomKeyExportException.class, () -> dec.verify(mac)).reason());
                assertStatus(Status.BAD_MAC, () -> dec.decrypt(ciphertext, ciphertext.length, out));
            }
        }
    }

    @Test
    void limitsAndClose() {
        try (Passphrase p = Passphrase.of("pw")) {
            assertEquals(Reason.TOO_MANY_ROUNDS, assertThrows(RoomKeyExportException.class,
                    () -> ExportBodyCipher.init(p, header(11), 10)).reason());
            assertEquals(Reason.TOO_MANY_ROUNDS, assertThrows(RoomKeyExportException.class,
                    () -> ExportBodyCipher.init(p, header(0xffffffffL), RoomKeyExport.MAX_ROUNDS)).reason());
            assertEquals(Reason.BAD_ROUNDS, assertThrows(RoomKeyExportException.class,
                    () -> ExportBodyCipher.init(p, header(0), 10)).reason());
            byte[] v2 = header(1);
            v2[0] = 2;
            assertEquals(Reason.BAD_VERSION, assertThrows(RoomKeyExportException.class,
                    () -> ExportBodyCipher.init(p, v2, 10)).reason());
            ExportBodyCipher c = ExportBodyCipher.init(p, header(1), 10);
            c.close();
            c.close();
            assertThrows(IllegalStateException.class, () -> c.macUpdate(new byte[1], 1));
        }
    }

    private static void assertStatus(Status status, Runnable r) {
        assertEquals(status, assertThrows(PanolmException.class, r::run).status());
    }
}
