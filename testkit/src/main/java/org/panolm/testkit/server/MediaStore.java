package org.panolm.testkit.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Uploaded bytes: in memory, or as one file per media id in the data directory. */
final class MediaStore {
    private final Path dir;
    private final Map<String, byte[]> memory = new ConcurrentHashMap<>();

    MediaStore(Path dir) {
        this.dir = dir;
        if (dir != null) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    void put(String mediaId, byte[] bytes) {
        if (dir == null) {
            memory.put(mediaId, bytes);
            return;
        }
        try {
            Path tmp = dir.resolve(mediaId + ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, dir.resolve(mediaId), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] get(String mediaId) {
        if (dir == null) {
            return memory.get(mediaId);
        }
        try {
            Path p = dir.resolve(mediaId);
            return Files.exists(p) ? Files.readAllBytes(p) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
