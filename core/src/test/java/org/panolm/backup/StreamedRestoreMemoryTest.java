package org.panolm.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.panolm.keystore.RoomKeyFixtures;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;
import org.panolm.megolm.KeyProvenance;

/**
 * A backup body far larger than the heap restores: about 86 MB of {@code /room_keys/keys} restored by a JVM
 * of its own with {@code -Xmx128m} (reading that body whole as a tree would need several times the heap).
 * The child checks its heap limit itself, so the test cannot pass with a larger heap.
 */
class StreamedRestoreMemoryTest {
    private static final int SESSIONS = 1000;
    private static final long TARGET_BYTES = 86L << 20;

    @Test
    void anEightySixMegabyteBodyRestoresIn128MegabytesOfHeap(@TempDir Path dir) throws Exception {
        Path body = dir.resolve("keys.json");
        Path keyFile = dir.resolve("key.hex");
        int rooms;
        try (var key = BackupDecryptionKey.generate()) {
            rooms = writeBody(key, body);
            byte[] raw = key.toBytes();
            Files.writeString(keyFile, HexFormat.of().formatHex(raw));
            java.util.Arrays.fill(raw, (byte) 0);
        }
        assertTrue(Files.size(body) >= TARGET_BYTES, "body of " + Files.size(body) + " bytes");

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx128m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), body.toString(), keyFile.toString())
                .redirectErrorStream(true);
        Process child = pb.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(10, TimeUnit.MINUTES), "the child finished");
        assertEquals(0, child.exitValue(), output);
        assertEquals("restored " + (long) rooms * SESSIONS + " failed 0", output.strip().lines().reduce((a, b) -> b).orElse(""),
                output);
    }

    /** {@code SESSIONS} distinct sessions, each filed in every one of enough rooms to pass the target size. */
    private static int writeBody(BackupDecryptionKey key, Path file) throws IOException {
        List<RoomKeyRecord> records = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            records.add(RoomKeyFixtures.record("!r:example.org", 0, RoomKeyFixtures.UNAUTHENTICATED, 0));
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode sessions = json.readTree(key.publicKey().encrypt(records).toJson()).get("rooms").get("!r:example.org");
        byte[] roomBytes = json.writeValueAsBytes(sessions);
        int rooms = (int) (TARGET_BYTES / roomBytes.length) + 1;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write("{\"rooms\":{".getBytes(StandardCharsets.UTF_8));
            for (int r = 0; r < rooms; r++) {
                out.write(((r == 0 ? "" : ",") + "\"!room" + r + ":example.org\":").getBytes(StandardCharsets.UTF_8));
                out.write(roomBytes);
            }
            out.write("}}".getBytes(StandardCharsets.UTF_8));
        }
        return rooms;
    }

    /** Restores the body with a heap of at most 128 MiB, keeping nothing but counts. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            long max = Runtime.getRuntime().maxMemory();
            if (max > 130L << 20) {
                System.out.println("heap limit is " + max + " bytes, not 128 MiB");
                System.exit(3);
            }
            byte[] raw = HexFormat.of().parseHex(Files.readString(Path.of(args[1])).strip());
            long[] counts = new long[2];
            try (var key = BackupDecryptionKey.fromBytes(raw);
                 InputStream in = new BufferedInputStream(Files.newInputStream(Path.of(args[0])), 1 << 16)) {
                java.util.Arrays.fill(raw, (byte) 0);
                key.restore(in, SessionFilter.all(), 0, new KeyProvenance.RestoredFromBackup(null, false), new RestoreSink() {
                    @Override
                    public void restored(RoomKeyRecord record) {
                        counts[0]++;
                    }

                    @Override
                    public void failed(RestoreFailure failure) {
                        counts[1]++;
                        if (counts[1] < 5) System.out.println(failure);
                    }
                });
            }
            System.out.println("restored " + counts[0] + " failed " + counts[1]);
        }
    }
}
