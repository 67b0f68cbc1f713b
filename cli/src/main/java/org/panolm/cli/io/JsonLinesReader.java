package org.panolm.cli.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.panolm.cli.CliException;
import org.panolm.cli.Errors;

/**
 * Reads one event per line. Each line is parsed on its own, so a malformed line becomes a malformed item
 * and the next line is read normally. Blank lines are not events. A line longer than the maximum event
 * size is reported as malformed and skipped without being held in memory.
 */
final class JsonLinesReader implements EventReader {
    private final InputStream in;
    private final String name;
    private final JsonLimits limits;
    private final EventParser parser;
    private byte[] buf = new byte[1 << 16];
    private int start;
    private int end;
    private boolean eof;
    private long lineNumber;
    private long ordinal;
    private boolean skipFirst;

    /**
     * @param firstLine      the number of the first line {@code in} holds
     * @param firstLineLong  {@code in} starts inside a line already known to be too long: report it and skip it
     */
    JsonLinesReader(InputStream in, String name, JsonLimits limits, long firstLine, boolean firstLineLong) {
        this.in = in;
        this.name = name;
        this.limits = limits;
        this.parser = new EventParser(limits);
        this.lineNumber = firstLine - 1;
        this.skipFirst = firstLineLong;
    }

    @Override
    public InputEvent next() {
        try {
            if (skipFirst) {
                skipFirst = false;
                return tooLong();
            }
            while (true) {
                int lineEnd = findNewline(start);
                boolean tooLong = false;
                while (lineEnd < 0 && !eof) {
                    if (end - start > limits.maxEventBytes()) {
                        tooLong = true;
                        break;
                    }
                    int searched = end - start; // fill() keeps offsets relative to start
                    fill();
                    lineEnd = findNewline(start + searched);
                }
                if (tooLong) {
                    return tooLong();
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
                if (to - from > limits.maxEventBytes()) {
                    return InputEvent.malformed(ordinal++, "line " + lineNumber, tooLongText());
                }
                return parse(from, to);
            }
        } catch (IOException e) {
            throw new CliException("cannot read " + name + " at line " + (lineNumber + 1) + ": " + Errors.describe(e), e);
        }
    }

    private InputEvent tooLong() throws IOException {
        lineNumber++;
        skipRestOfLine();
        return InputEvent.malformed(ordinal++, "line " + lineNumber, tooLongText());
    }

    private String tooLongText() {
        return "line " + lineNumber + " is longer than " + limits.describeSize() + " (the maximum event size)";
    }

    private InputEvent parse(int from, int to) {
        String where = "line " + lineNumber;
        return switch (parser.parse(buf, from, to - from, lineNumber, 1)) {
            case EventParser.Parsed p -> InputEvent.of(ordinal++, where, p.event(), to - from);
            case EventParser.NotAnObject n -> InputEvent.malformed(ordinal++, where, where + " is " + n.what()
                    + ", not an event object");
            case EventParser.Problem p -> InputEvent.malformed(ordinal++, where, p.message());
        };
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

    /** Reads more input after what is buffered, compacting or growing the buffer (never past the limit + 64 KiB). */
    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) {
            buf = Arrays.copyOf(buf, Math.min(buf.length * 2, limits.maxEventBytes() + (1 << 16)));
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
