package org.panolm.cli.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicBoolean;

import org.panolm.cli.CliException;
import org.panolm.cli.Errors;

/**
 * A file written under a temporary name ({@code .NAME.partial-HOST-PID-RANDOM} beside it) and renamed atomically
 * by {@link #commit()}. A shutdown hook deletes the temporary file if the JVM stops before commit (Ctrl-C,
 * SIGTERM, SIGHUP); after a hard kill (SIGKILL) only the {@code .partial} file can remain, never a file with
 * the final name, and the next run that writes into that folder removes it ({@link Leftovers}).
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
        String problem = problem(absolute);
        if (problem != null) {
            throw new CliException("cannot write " + target + ": " + problem);
        }
        Path temp = absolute.getParent().resolve("." + absolute.getFileName() + ".partial-" + Leftovers.ownerTag());
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
            throw new CliException("cannot write " + target + ": " + Errors.describe(e), e);
        }
    }

    /**
     * Why {@code absolute} cannot be an output, or null: only a new name or a regular file (not a link to
     * one) may be replaced, in a folder that exists.
     */
    static String problem(Path absolute) {
        Path folder = absolute.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            return "the folder " + folder + " does not exist";
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(absolute, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return Errors.describe(e);
        }
        if (a.isRegularFile()) {
            return null;
        }
        return (a.isDirectory() ? "it is a folder" : a.isSymbolicLink() ? "it is a symbolic link (give the path it points to)"
                : "it is not a regular file (a device, a FIFO or a socket)") + "; only a new file or a regular file is replaced";
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
            // Checked again just before the rename: the path may have changed while the run worked.
            String problem = problem(target.toAbsolutePath());
            if (problem != null) {
                throw new IOException("cannot replace " + target + ": " + problem);
            }
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
            System.err.println(org.panolm.cli.Terminal.printable("panolm: could not delete the unfinished output " + temp
                    + ": " + Errors.describe(e)));
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
