package org.panolm.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.panolm.recovery.Passphrase;
import org.panolm.keystore.SessionFilter;

/**
 * Run in a child JVM with a small heap by {@link RoomKeyExportStreamingTest}: exports {@code count}
 * generated keys to a file and imports them back, from the file and from a one-shot stream. If either
 * direction held the keys or the JSON in memory it would run out of heap.
 */
public final class BoundedMemoryRoundTrip {
    private BoundedMemoryRoundTrip() {}

    private static final String SESSION_KEY = "AQAAAABBKNS1bA5X+Py5c6YP+RKtjHAtNznKzonSmyciDY9/6IEAcuOpsNc/LC46lOMMnZerWc7LoT8VjY6IzBETBEe0DzYu4F2UZHmNAaGNgHyiEXtruJ2Y9EhaQm10VrgOhhN4NN6UEYVrI4PFSM88BoDiP8bElfD2qnNa4zIfP2KlxvLHTRoJi37fKLMpSyvYo9yKLQS8kELn3vyp4IluA6at";

    /** The session SESSION_KEY is an export of (the writer checks that a key names its own session). */
    private static final String SESSION_ID = "8sdNGgmLft8osylLK9ij3IotBLyQQufe/KngiW4Dpq0";

    static ExportedRoomKey key(int i) {
        return new ExportedRoomKey(ExportedRoomKey.MEGOLM_V1, "!room" + (i % 100) + ":example.org",
                "cKQkLU8izjY3tpLVPiR4PDeeCEKtaDiAGiQH+UbZm2w", SESSION_ID, SESSION_KEY,
                Map.of("ed25519", "wJ7DzYIlwFghczuxFG7F4ugAK3IFjpSaC74MzLFC6ig"), List.of(), null);
    }

    public static void main(String[] args) throws IOException {
        int count = Integer.parseInt(args[0]);
        Path file = Path.of(args[1]);
        Iterable<ExportedRoomKey> generated = () -> new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public ExportedRoomKey next() {
                return key(next++);
            }
        };
        try (Passphrase p = Passphrase.of("streaming"); OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            if (RoomKeyExport.export(generated, SessionFilter.all(), p, 1, out) != count) {
                throw new AssertionError("export count");
            }
        }
        long[] seen = {0, 0};
        try (Passphrase p = Passphrase.of("streaming")) {
            ImportSummary s = RoomKeyExport.importFile(file, p, SessionFilter.all(), k -> {
                if (!k.equals(key((int) seen[0]))) {
                    throw new AssertionError("key #" + seen[0] + " differs");
                }
                seen[0]++;
            });
            ImportSummary one = RoomKeyExport.importStream(Files.newInputStream(file), p,
                    SessionFilter.rooms(java.util.Set.of("!room7:example.org")), k -> seen[1]++);
            if (s.read() != count || seen[0] != count || one.read() != count || seen[1] != count / 100) {
                throw new AssertionError("import counts " + s + " " + one + " " + seen[1]);
            }
        }
        long peak = 0;
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("OK " + count + " " + Files.size(file) + " " + peak);
    }
}
