package org.panolm.client.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.client.HomeserverClient;
import org.panolm.testkit.TestHomeserverExtension;

class MediaClientTest {
    @RegisterExtension
    static final TestHomeserverExtension SERVER = new TestHomeserverExtension();

    /** Every request the client sent passed the spec's schemas (the server's own answers are checked by the extension). */
    @org.junit.jupiter.api.AfterEach
    void noRequestWasRejectedBySpec() {
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), SERVER.server().rejectedRequests());
    }

    @Test
    void encryptedUploadAndDownload(@TempDir Path dir) throws Exception {
        byte[] plain = new byte[1_000_003];
        new Random(3).nextBytes(plain);
        Path file = dir.resolve("photo.jpg");
        Files.write(file, plain);
        try (HomeserverClient client = HomeserverClient.builder(SERVER.server().baseUrl()).build()) {
            client.register("media" + System.nanoTime(), "pw".toCharArray(), null);
            MediaClient media = new MediaClient(client);
            EncryptedFile encrypted = media.uploadEncrypted(file);
            assertTrue(encrypted.url().startsWith("mxc://"));

            // The server holds ciphertext only.
            byte[] stored;
            try (InputStream in = media.download(encrypted.url())) {
                stored = in.readAllBytes();
            }
            assertEquals(plain.length, stored.length);
            assertNotEquals(java.util.Arrays.hashCode(plain), java.util.Arrays.hashCode(stored));

            Path back = dir.resolve("back.jpg");
            media.downloadDecrypted(encrypted, back);
            assertArrayEquals(plain, Files.readAllBytes(back));

            // A server that swaps the file: another upload's URL under the first file's key and hash.
            String other = media.upload(file, "image/jpeg", "photo.jpg");
            Path swapped = dir.resolve("swapped.jpg");
            AttachmentException e = assertThrows(AttachmentException.class,
                    () -> media.downloadDecrypted(encrypted.withUrl(other), swapped));
            assertEquals("hashes.sha256", e.field());
            assertFalse(Files.exists(swapped));
            assertThrows(AttachmentException.class, () -> media.download("https://example.org/x"));
        }
    }

    /** 64 MiB through encrypt, upload, download and decrypt in a JVM whose heap is 40 MiB. */
    @Test
    void aLargeFileInBoundedMemory(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx40m", "-cp", System.getProperty("java.class.path"),
                LargeAttachmentMain.class.getName(), SERVER.server().baseUrl().toString(), "64", dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        Map<String, String> values = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] kv = line.trim().split(" ", 2);
            if (kv.length == 2) values.put(kv[0], kv[1]);
        }
        assertEquals(values.get("plain"), values.get("back"), out);
        assertEquals(String.valueOf(64L << 20), values.get("size"));
        assertTrue(Long.parseLong(values.get("maxHeap")) <= 40L << 20, out);
    }
}
