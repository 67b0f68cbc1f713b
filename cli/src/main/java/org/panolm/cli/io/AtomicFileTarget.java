package org.panolm.cli.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicBoolean;

import org.panolm.cli.CliException;

/**
 * A file written under a temporary name ({@code .NAME.partial-RANDOM} beside it) and renamed atomically by
 * {@link #commit()}. A shutdown hook deletes the temporary file if the JVM stops before commit; after a
 * hard kill (SIGKILL) only the {@code .partial} file can remain, never a file with the final name.
 */
final class AtomicFileTarget implements OutputTarget {
    private final Path target;
    private final Path temp;
    private final OutputStream out;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Thread cleanup;

    private AtomicFileTarget(Path target, Path temp, OutputStream out) {
        this.target = target;
        this.temp = temp;
        this.out = out;
        this.cleanup = new Thread(this::abortOnShutdown, "panolm-partial-output-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    static AtomicFileTarget create(Path target) {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new CliException("cannot write " + target + ": the folder " + folder + " does not exist");
        }
        if (Files.isDirectory(absolute)) {
            throw new CliException("cannot write " + target + ": it is a folder");
        }
        Path temp = folder.resolve("." + absolute.getFileName() + ".partial-" + Long.toHexString(System.nanoTime()));
        try {
            // Owner-only: what is written is decrypted history or key material.
            try {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(temp);
            }
            OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp, StandardOpenOption.WRITE), 1 << 16);
            return new AtomicFileTarget(target, temp, out);
        } catch (IOException e) {
            throw new CliException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public OutputStream stream() {
        return out;
    }

    @Override
    public void commit() throws IOException {
        if (!finished.compareAndSet(false, true)) {
            // Also when the JVM began to stop (Ctrl-C, SIGTERM) before the rename: an input that ended because
            // its writer was stopped too must not become a finished-looking file.
            throw new IOException("the output " + target + " was abandoned (the run was stopped)");
        }
        try {
            out.close();
            try {
                Files.move(temp, target.toAbsolutePath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target.toAbsolutePath(), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteTemp();
            throw e;
        } finally {
            removeHook();
        }
    }

    @Override
    public void abort() {
        if (finished.compareAndSet(false, true)) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the file is deleted next
            }
            deleteTemp();
            removeHook();
        }
    }

    /** The shutdown hook: wins against a commit that has not started its rename yet. */
    private void abortOnShutdown() {
        if (finished.compareAndSet(false, true)) {
            deleteTemp();
        }
    }

    private void deleteTemp() {
        try {
            Files.deleteIfExists(temp);
        } catch (NoSuchFileException ignored) {
            // already gone
        } catch (IOException e) {
            System.err.println("panolm: could not delete the unfinished output " + temp + ": " + e.getMessage());
        }
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down; the hook runs and finds nothing to delete
        }
    }
}
