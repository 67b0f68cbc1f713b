package org.panolm.cli.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import org.panolm.cli.StandardStreams;

/**
 * Standard output: written as it goes; what was written cannot be taken back. A failed write (a full disk,
 * a closed pipe) is an {@link IOException} that fails the run.
 */
final class StdoutTarget implements OutputTarget {
    private final OutputStream out = new BufferedOutputStream(StandardStreams.output(), 1 << 16);

    @Override
    public OutputStream stream() {
        return out;
    }

    @Override
    public void commit() throws IOException {
        out.flush();
    }

    @Override
    public void abort() {
        try {
            out.flush();
        } catch (IOException ignored) {
            // the reader of our standard output went away; nothing left to tell it
        }
    }
}
