package org.panolm.keystore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Replaces a file so that a crash at any moment leaves either the old or the new content: write a private
 * temporary file in the same directory, fsync it, rename it over the target, fsync the directory.
 */
final class AtomicFile {
    private AtomicFile() {}

    /** Writes the bytes to the channel; tests substitute one that fails half-way. */
    interface Writer {
        void write(FileChannel channel, ByteBuffer data) throws IOException;
    }

    static final Writer PLAIN = (channel, data) -> {
        while (data.hasRemaining()) channel.write(data);
    };

    static void replace(Path target, byte[] content) throws IOException {
        replace(target, content, PLAIN);
    }

    static void replace(Path target, byte[] content, Writer writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                writer.write(channel, ByteBuffer.wrap(content));
                channel.force(true);
            }
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) Files.deleteIfExists(tmp);
        }
        // The rename itself is durable only once the directory entry is on disk.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
