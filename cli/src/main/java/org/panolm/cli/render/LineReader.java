package org.panolm.cli.render;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.panolm.cli.CliException;

/** Reads lines of UTF-8 text of at most a given size, so that one endless line cannot fill memory. */
final class LineReader implements AutoCloseable {
    private final InputStream in;
    private final String name;
    private final int maxBytes;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int end;
    private long lineNumber;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineReader(InputStream in, String name, int maxBytes) {
        this.in = in;
        this.name = name;
        this.maxBytes = maxBytes;
    }

    /** @return the next line without its line end, or null at the end of the input */
    String next() throws IOException {
        line.reset();
        while (true) {
            if (pos == end) {
                end = in.read(buf);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    if (line.size() == 0) {
                        return null;
                    }
                    break;
                }
            }
            int start = pos;
            while (pos < end && buf[pos] != '\n') {
                pos++;
            }
            line.write(buf, start, pos - start);
            if (line.size() > maxBytes) {
                throw new CliException(name + " line " + (lineNumber + 1) + ": longer than " + maxBytes
                        + " bytes (see --max-line-size)");
            }
            if (pos < end) {
                pos++; // the '\n'
                break;
            }
        }
        lineNumber++;
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** @return the number of the line last returned, from 1 */
    long lineNumber() {
        return lineNumber;
    }

    String name() {
        return name;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
