package org.panolm.client.media;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import org.panolm.client.HomeserverClient;

/**
 * Run by {@link MediaClientTest} in a JVM with a small heap: writes a large file, encrypts and uploads it,
 * downloads and decrypts it, and prints the hashes of both files and the heap limit it ran under.
 * Arguments: base URL, size in MiB, work directory.
 */
public final class LargeAttachmentMain {
    private LargeAttachmentMain() {}

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        long size = Long.parseLong(args[1]) << 20;
        Path dir = Path.of(args[2]);
        Path plain = dir.resolve("large.bin");
        byte[] block = new byte[1 << 20];
        Random random = new Random(64);
        try (OutputStream out = Files.newOutputStream(plain)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        try (HomeserverClient client = HomeserverClient.builder(base).build()) {
            client.register("large" + System.nanoTime(), "pw".toCharArray(), null);
            MediaClient media = new MediaClient(client);
            EncryptedFile file = media.uploadEncrypted(plain);
            Path back = dir.resolve("back.bin");
            media.downloadDecrypted(file, back);
            System.out.println("plain " + sha256(plain));
            System.out.println("back " + sha256(back));
            System.out.println("size " + Files.size(back));
            System.out.println("maxHeap " + Runtime.getRuntime().maxMemory());
        }
    }

    private static String sha256(Path p) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) sha.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
