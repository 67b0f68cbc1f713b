package org.panolm.cli.io;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where a command writes its result. A file target writes to a temporary name in the same folder and only
 * {@link #commit()} gives it its final name, so an interrupted or failed run never leaves a file that looks
 * finished. Abort is idempotent and also runs when the JVM is stopped (Ctrl-C, SIGTERM).
 */
public interface OutputTarget extends AutoCloseable {
    OutputStream stream();

    /** Flushes and, for a file, renames the temporary file to its final name. */
    void commit() throws IOException;

    /** Discards what was written (deletes the temporary file); a no-op after commit. */
    void abort();

    /** Aborts unless committed. */
    @Override
    default void close() {
        abort();
    }

    /**
     * Fails early, before any work, when {@code path} cannot be the output: its folder is missing, or
     * something other than a regular file is there (a folder, a link, a device, a FIFO, a socket: renaming
     * over one would replace it, and as root that could be a device node). Also removes what runs killed
     * outright left in that folder (see {@link Leftovers}).
     */
    static void checkWritable(String path, String option) {
        if ("-".equals(path)) {
            return;
        }
        java.nio.file.Path absolute = java.nio.file.Path.of(path).toAbsolutePath();
        String problem = AtomicFileTarget.problem(absolute);
        if (problem != null) {
            throw new org.panolm.cli.CliException("cannot write " + option + " " + path + ": " + problem);
        }
        Leftovers.removePartials(absolute.getParent());
    }

    /** @param path {@code -} for standard output */
    static OutputTarget open(String path) {
        return "-".equals(path) ? new StdoutTarget() : AtomicFileTarget.create(java.nio.file.Path.of(path));
    }
}
