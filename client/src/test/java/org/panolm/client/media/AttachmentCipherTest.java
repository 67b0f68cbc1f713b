package org.panolm.client.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttachmentCipherTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void roundTripsAnySizeAndMatchesTheSpecShape(@TempDir Path dir) throws IOException {
        for (int size : new int[] {0, 1, 15, 16, 17, 65_535, 65_536, 200_001}) {
            byte[] plain = bytes(size, size);
            ByteArrayOutputStream ct = new ByteArrayOutputStream();
            EncryptedFile file = AttachmentCipher.encrypt(new ByteArrayInputStream(plain), ct);
            assertEquals(size, ct.size(), "CTR: the ciphertext is as long as the plaintext");
            assertEquals("v2", file.v());
            assertEquals(22, file.iv().length(), "16 bytes, unpadded base64");
            byte[] iv = java.util.Base64.getDecoder().decode(file.iv());
            for (int i = 8; i < 16; i++) assertEquals(0, iv[i], "the counter half starts at zero");
            assertEquals(List.of("encrypt", "decrypt"), file.key().keyOps());
            assertFalse(file.key().toString().contains(file.key().k()));
            Path out = dir.resolve("plain-" + size);
            AttachmentCipher.decrypt(file, new ByteArrayInputStream(ct.toByteArray()), out);
            assertArrayEquals(plain, Files.readAllBytes(out));
        }
    }

    @Test
    void aDamagedCiphertextLeavesNothingBehind(@TempDir Path dir) throws IOException {
        byte[] plain = bytes(100_000, 1);
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        EncryptedFile file = AttachmentCipher.encrypt(new ByteArrayInputStream(plain), ct);
        byte[] damaged = ct.toByteArray();
        damaged[99_999] ^= 1;
        Path out = dir.resolve("photo.jpg");
        AttachmentException e = assertThrows(AttachmentException.class,
                () -> AttachmentCipher.decrypt(file, new ByteArrayInputStream(damaged), out));
        assertEquals("hashes.sha256", e.field());
        assertFalse(Files.exists(out));
        try (var listing = Files.list(dir)) {
            assertEquals(0, listing.count(), "no temporary file left");
        }
        // A truncated download is refused the same way.
        byte[] cut = java.util.Arrays.copyOf(ct.toByteArray(), 50_000);
        assertThrows(AttachmentException.class, () -> AttachmentCipher.decrypt(file, new ByteArrayInputStream(cut), out));
    }

    @Test
    void badFieldsAreNamed(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        EncryptedFile good = AttachmentCipher.encrypt(new ByteArrayInputStream(new byte[10]), ct);
        Path out = dir.resolve("x");
        record Case(String field, EncryptedFile file) {}
        JsonWebKey k = good.key();
        List<Case> cases = List.of(
                new Case("v", new EncryptedFile(null, k, good.iv(), good.hashes(), "v1")),
                new Case("iv", new EncryptedFile(null, k, "AAAA", good.hashes(), "v2")),
                new Case("hashes.sha256", new EncryptedFile(null, k, good.iv(), Map.of(), "v2")),
                new Case("key.alg", new EncryptedFile(null, new JsonWebKey("oct", k.keyOps(), "A128CTR", k.k(), true),
                        good.iv(), good.hashes(), "v2")),
                new Case("key.k", new EncryptedFile(null, new JsonWebKey("oct", k.keyOps(), "A256CTR", "AAAA", true),
                        good.iv(), good.hashes(), "v2")),
                new Case("key.key_ops", new EncryptedFile(null, new JsonWebKey("oct", List.of("encrypt"), "A256CTR",
                        k.k(), true), good.iv(), good.hashes(), "v2")));
        for (Case c : cases) {
            AttachmentException e = assertThrows(AttachmentException.class,
                    () -> AttachmentCipher.decrypt(c.file(), new ByteArrayInputStream(ct.toByteArray()), out), c.field());
            assertEquals(c.field(), e.field());
            assertFalse(e.getMessage().contains(k.k()), "never the key");
        }
    }

    /** matrix-nio (Debian's python3-matrix-nio) encrypts, panolm decrypts; and the other way. */
    @Test
    void interoperatesWithMatrixNio(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("nio_attachment.py");
        try (InputStream in = AttachmentCipherTest.class.getResourceAsStream("nio_attachment.py")) {
            Files.write(script, in.readAllBytes());
        }
        byte[] plain = bytes(300_007, 7);
        Path plainFile = dir.resolve("plain");
        Files.write(plainFile, plain);

        Path nioCipher = dir.resolve("nio.enc");
        String info = python(script, null, "encrypt", plainFile, nioCipher);
        EncryptedFile fromNio = JSON.readValue(info, EncryptedFile.class);
        Path out = dir.resolve("from-nio");
        try (InputStream in = Files.newInputStream(nioCipher)) {
            AttachmentCipher.decrypt(fromNio, in, out);
        }
        assertArrayEquals(plain, Files.readAllBytes(out));

        Path ours = dir.resolve("ours.enc");
        EncryptedFile file;
        try (InputStream in = Files.newInputStream(plainFile); var o = Files.newOutputStream(ours)) {
            file = AttachmentCipher.encrypt(in, o);
        }
        Path back = dir.resolve("by-nio");
        python(script, JSON.writeValueAsString(file), "decrypt", ours, back);
        assertArrayEquals(plain, Files.readAllBytes(back));
    }

    private static String python(Path script, String stdin, String mode, Path a, Path b) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assertTrue(Files.isExecutable(python), "python3 with matrix-nio is needed: run scripts/setup");
        Process p = new ProcessBuilder(python.toString(), script.toString(), mode, a.toString(), b.toString())
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
        try (var w = p.getOutputStream()) {
            if (stdin != null) w.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "nio " + mode + " failed: " + err);
        return out;
    }
}
