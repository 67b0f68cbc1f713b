package org.panolm.cli.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.cli.CliException;
import org.panolm.cli.Json;

/**
 * Reads one event per line. Each line is parsed on its own, so a malformed line becomes a malformed item
 * and the next line is read normally. Blank lines are not events. A line longer than {@link #MAX_LINE}
 * bytes is reported as malformed and skipped without being held in memory.
 */
final class JsonLinesReader implements EventReader {
    /** Far above Matrix's 64 KiB event limit; a bound so that garbage without newlines cannot exhaust memory. */
    static final int MAX_LINE = 16 << 20;

    private final InputStream in;
    private final String name;
    private byte[] buf = new byte[1 << 16];
    private int start;
    private int end;
    private boolean eof;
    private long lineNumber;
    private long ordinal;

    JsonLinesReader(InputStream in, String name) {
        this.in = in;
        this.name = name;
    }

    @Override
    public InputEvent next() {
        try {
            while (true) {
                int lineEnd = findNewline(start);
                boolean tooLong = false;
                while (lineEnd < 0 && !eof) {
                    if (end - start >= MAX_LINE) {
                        tooLong = true;
                        break;
                    }
                    int searched = end - start; // fill() keeps offsets relative to start
                    fill();
                    lineEnd = findNewline(start + searched);
                }
                if (tooLong) {
                    lineNumber++;
                    skipRestOfLine();
                    return InputEvent.malformed(ordinal++, "line " + lineNumber,
                            "line " + lineNumber + " is longer than " + (MAX_LINE >> 20) + " MiB");
                }
                if (lineEnd < 0) {
                    if (start == end) {
                        return null;
                    }
                    lineEnd = end; // the last line has no newline
                }
                lineNumber++;
                int from = start;
                int to = lineEnd;
                start = lineEnd < end ? lineEnd + 1 : lineEnd;
                if (to > from && buf[to - 1] == '\r') {
                    to--;
                }
                if (isBlank(from, to)) {
                    continue;
                }
                return parse(from, to);
            }
        } catch (IOException e) {
            throw new CliException("cannot read " + name + " at line " + (lineNumber + 1) + ": " + e.getMessage(), e);
        }
    }

    private InputEvent parse(int from, int to) {
        String where = "line " + lineNumber;
        JsonNode node;
        try {
            node = Json.STRICT_READER.readTree(buf, from, to - from);
        } catch (JsonProcessingException e) {
            return InputEvent.malformed(ordinal++, where, where + ": not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen on a byte array
        }
        if (!(node instanceof ObjectNode event)) {
            return InputEvent.malformed(ordinal++, where, where + " is " + Location.describe(node) + ", not an event object");
        }
        return InputEvent.of(ordinal++, where, event, Arrays.copyOfRange(buf, from, to));
    }

    private int findNewline(int from) {
        for (int i = from; i < end; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private boolean isBlank(int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Reads more input after what is buffered, compacting or growing the buffer (never past MAX_LINE + 64 KiB). */
    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) {
            buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_LINE + (1 << 16)));
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }

    private void skipRestOfLine() throws IOException {
        while (true) {
            int nl = findNewline(start);
            if (nl >= 0) {
                start = nl + 1;
                return;
            }
            start = end = 0;
            if (eof) {
                return;
            }
            fill();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
