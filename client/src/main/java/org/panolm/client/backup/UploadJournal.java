package org.panolm.client.backup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.jspecify.annotations.Nullable;
import org.panolm.keystore.KeyStore;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionRef;

/**
 * Which sessions are in which backup version, kept across restarts: one append-only file per version
 * ({@code backup-<hash of version>.uploaded}, owner-only), one JSON line {@code [room, session, first index,
 * forwarded count]} per uploaded session, forced to disk after each batch the server accepted. A restart
 * replays it into the {@link KeyStore}'s upload marks, so nothing is uploaded twice and saving the whole
 * store after every batch is not needed. It holds ids only, no key material.
 *
 * <p>This is the upload record of an in-memory {@link KeyStore}; the engine's store keeps its own marks, and
 * {@link #moveInto} hands a journal written by an older panolm over to it. A crash
 * between the server's answer and the write loses at most that batch's marks: it is uploaded again (the
 * server keeps the better copy, so nothing is lost).
 */
public final class UploadJournal {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final @Nullable Path dir;

    private UploadJournal(@Nullable Path dir) {
        this.dir = dir;
    }

    /**
     * A journal in {@code dir} (created owner-only when missing).
     *
     * @param dir the directory
     * @return the journal
     */
    public static UploadJournal in(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the upload journal directory", e);
        }
        return new UploadJournal(dir);
    }

    /**
     * A journal that keeps nothing (the store's own marks are all there is).
     *
     * @return the journal
     */
    public static UploadJournal none() {
        return new UploadJournal(null);
    }

    private Optional<Path> file(String version) {
        if (dir == null) return Optional.empty();
        // The version is the server's text: hashed, so it can never name another path.
        String name = java.util.HexFormat.of().formatHex(sha256(version)).substring(0, 32);
        return Optional.of(dir.resolve("backup-" + name + ".uploaded"));
    }

    private static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Records that {@code uploaded} are in {@code version}, durably.
     *
     * @param version the backup version
     * @param uploaded the sessions the server accepted
     */
    public void append(String version, Collection<RoomKeyRecord> uploaded) {
        Optional<Path> f = file(version);
        if (f.isEmpty() || uploaded.isEmpty()) return;
        StringBuilder lines = new StringBuilder();
        for (RoomKeyRecord r : uploaded) {
            ArrayNode a = JSON.createArrayNode().add(r.roomId()).add(r.sessionId()).add(r.firstKnownIndex())
                    .add(r.forwardedCount());
            lines.append(a).append('\n');
        }
        try (FileChannel ch = FileChannel.open(f.get(), StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the upload journal", e);
        }
        try {
            Files.setPosixFilePermissions(f.get(), PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: the file holds ids only.
        }
    }

    /**
     * Marks in {@code store} every session the journal says is in {@code version} with a copy at least as
     * good as the one held (a session improved since stays pending). A torn last line (a crash mid-write) is
     * ignored.
     *
     * @param store the key store
     * @param version the backup version
     * @return how many sessions were marked
     */
    public int replayInto(KeyStore store, String version) {
        Optional<Path> f = file(version);
        if (f.isEmpty()) return 0;
        List<RoomKeyRecord> marked = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(f.get(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode a;
                try {
                    a = JSON.readTree(line);
                } catch (IOException e) {
                    continue;
                }
                if (a == null || !a.isArray() || a.size() != 4) continue;
                SessionRef ref = new SessionRef(a.get(0).asText(), a.get(1).asText());
                long index = a.get(2).asLong();
                long forwarded = a.get(3).asLong();
                store.get(ref).filter(r -> r.firstKnownIndex() == index && r.forwardedCount() == forwarded)
                        .ifPresent(marked::add);
            }
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the upload journal", e);
        }
        store.markBackedUp(version, marked);
        return marked.size();
    }

    /**
     * Moves the journal's marks for {@code version} into the engine's store (which keeps its own marks since schema
     * 2) and deletes the journal's file, so a device that backed up with an older panolm uploads nothing twice. Only
     * a held copy equal to the journalled one is marked; a torn last line is ignored.
     *
     * @param store the engine's store
     * @param version the backup version
     * @return how many store rows were marked
     */
    public int moveInto(org.panolm.engine.store.CryptoStore store, String version) {
        Optional<Path> f = file(version);
        if (f.isEmpty() || !Files.exists(f.get())) return 0;
        int marked;
        try (BufferedReader in = Files.newBufferedReader(f.get(), StandardCharsets.UTF_8)) {
            marked = store.transaction(tx -> {
                int n = 0;
                List<RoomKeyRecord> batch = new ArrayList<>();
                try {
                    String line;
                    while ((line = in.readLine()) != null) {
                        JsonNode a;
                        try {
                            a = JSON.readTree(line);
                        } catch (IOException e) {
                            continue;
                        }
                        if (a == null || !a.isArray() || a.size() != 4) continue;
                        long index = a.get(2).asLong();
                        long forwarded = a.get(3).asLong();
                        for (RoomKeyRecord r : tx.roomKeys(a.get(0).asText(), a.get(1).asText())) {
                            if (r.firstKnownIndex() == index && r.forwardedCount() == forwarded) batch.add(r);
                        }
                        if (batch.size() >= 1000) {
                            n += tx.markBackedUp(version, batch);
                            batch.clear();
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the upload journal", e);
                }
                return n + tx.markBackedUp(version, batch);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the upload journal", e);
        }
        forget(version);
        return marked;
    }

    /**
     * Forgets a version's marks (after it was deleted).
     *
     * @param version the backup version
     */
    public void forget(String version) {
        file(version).ifPresent(p -> {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the upload journal", e);
            }
        });
    }
}
