package org.panolm.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.SplittableRandom;

import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.panolm.recovery.Passphrase;

/**
 * Export bodies built from the JDK's PBKDF2, AES-CTR and HMAC (docs/formats.md §6.1 written out) decrypt in
 * panolm, and panolm's bodies equal the JDK's for the same salt and IV. Lengths cross the 64 KiB chunks
 * and the 16-byte blocks at odd offsets.
 */
class ExportBodyDifferentialTest {
    @TempDir
    Path dir;

    private static byte[] jdkBody(String passphrase, byte[] header, byte[] plaintext) throws Exception {
        byte[] dk = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(new PBEKeySpec(
                passphrase.toCharArray(), Arrays.copyOfRange(header, 1, 17), 2, 512)).getEncoded();
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(dk, 0, 32, "AES"),
                new IvParameterSpec(Arrays.copyOfRange(header, 17, 33)));
        byte[] ciphertext = ctr.doFinal(plaintext);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(dk, 32, 32, "HmacSHA256"));
        mac.update(header);
        mac.update(ciphertext);
        byte[] tag = mac.doFinal();
        byte[] body = new byte[header.length + ciphertext.length + tag.length];
        System.arraycopy(header, 0, body, 0, header.length);
        System.arraycopy(ciphertext, 0, body, header.length, ciphertext.length);
        System.arraycopy(tag, 0, body, header.length + ciphertext.length, tag.length);
        return body;
    }

    @Test
    void agreesWithTheJdk() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        int[] lengths = {0, 1, 15, 16, 17, 65_535, 65_536, 65_537, 200_003};
        for (int length : lengths) {
            byte[] header = new byte[37];
            random.nextBytes(header);
            header[0] = 1;
            header[25] &= 0x7f; // bit 63 of the IV
            header[33] = 0;
            header[34] = 0;
            header[35] = 0;
            header[36] = 2;
            byte[] plaintext = new byte[length];
            random.nextBytes(plaintext);
            String passphrase = "pässword " + length;
            byte[] body = jdkBody(passphrase, header, plaintext);

            Path file = dir.resolve("jdk" + length + ".txt");
            Files.writeString(file, "-----BEGIN MEGOLM SESSION DATA-----\n" + Base64.getMimeEncoder().encodeToString(body)
                    + "\n-----END MEGOLM SESSION DATA-----\n", StandardCharsets.US_ASCII);
            var out = new ByteArrayOutputStream();
            try (Passphrase p = Passphrase.of(passphrase)) {
                RoomKeyExport.decryptJson(file, p, out);
            }
            assertArrayEquals(plaintext, out.toByteArray(), "JDK body of " + length + " bytes");

            var ours = new ByteArrayOutputStream();
            try (Passphrase p = Passphrase.of(passphrase)) {
                RoomKeyExport.encryptBody(header, plaintext, p, ours);
            }
            String text = ours.toString(StandardCharsets.US_ASCII);
            String b64 = text.substring(text.indexOf('\n') + 1, text.indexOf("-----END")).replace("\n", "");
            assertArrayEquals(body, Base64.getDecoder().decode(b64), "panolm body of " + length + " bytes");
        }
    }
}
