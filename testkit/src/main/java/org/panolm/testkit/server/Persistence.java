package org.panolm.testkit.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the state in {@code state.json} of the data directory: written whole, to a temporary file renamed over
 * the old one (a crash leaves the old or the new state), a moment after a change so that a burst of requests is
 * one write, and on close.
 */
final class Persistence {
    static final String FILE = "state.json";
    /** Long enough that a burst of uploads (a key backup of 100,000 keys) is a few writes, not hundreds. */
    private static final long DELAY_MILLIS = 500;

    private final Path dir;
    private final JsonMapper mapper = JsonMapper.builder()
            .changeDefaultVisibility(v -> v.withFieldVisibility(Visibility.ANY)
                    .withGetterVisibility(Visibility.NONE)
                    .withIsGetterVisibility(Visibility.NONE)
                    .withSetterVisibility(Visibility.NONE))
            // An absent field must read back as Java null, not as a JSON null node.
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "testkit-persistence");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Persistence(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The saved state, or {@code null} when the directory has none yet. */
    State load() {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        return mapper.readValue(file.toFile(), State.class);
    }

    /** Writes the state; the caller holds the homeserver's lock. */
    void save(State state) {
        scheduled.set(false);
        Path tmp = dir.resolve(FILE + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            // Access tokens and password hashes: owner-only, where the file system has owners.
            if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            mapper.writeValue(tmp.toFile(), state);
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Schedules one write soon, however many changes come before it. */
    void markDirty(Runnable flush) {
        if (scheduled.compareAndSet(false, true) && !writer.isShutdown()) {
            writer.schedule(flush, DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    void close() {
        writer.shutdownNow();
    }
}
