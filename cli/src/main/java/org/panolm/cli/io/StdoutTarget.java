package org.panolm.cli.io;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;

/** Standard output: written as it goes; what was written cannot be taken back. */
final class StdoutTarget implements OutputTarget {
    private final OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);

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
