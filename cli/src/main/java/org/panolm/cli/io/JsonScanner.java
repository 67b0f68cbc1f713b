package org.panolm.cli.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Walks the structure of a JSON text on a stream, byte by byte, holding only what it is asked to keep: the
 * bytes of one element at a time (up to a cap) or a member name. It splits an array of events into elements
 * without a tree of the whole, and looks through a {@code /messages} response for its {@code chunk} however
 * much comes first. It checks strings and brackets, not values: each element kept is parsed on its own
 * afterwards ({@link EventParser}), so a bad element is that element's error, while damage to the structure
 * around elements (a bracket that closes nothing, the input ending inside a value) is a {@link Damaged}.
 * Memory does not depend on the input: bracket kinds are remembered to a fixed depth, counted beyond it.
 */
final class JsonScanner {
    /** The structure is damaged at {@code line}, {@code column}: nothing after it can be trusted. */
    static final class Damaged extends Exception {
        final String what;
        final long line;
        final long column;

        Damaged(String what, long line, long column) {
            super(what, null, false, false);
            this.what = what;
            this.line = line;
            this.column = column;
        }

        /** {@code line 3, column 9: what}. */
        String describe() {
            return "line " + line + ", column " + column + ": " + what;
        }
    }

    /** One value: its bytes when within the cap, else only why not. */
    static final class Value {
        byte[] bytes = new byte[1 << 12];
        int length;
        long line;
        long column;
        boolean tooLarge;
        boolean tooDeep;
    }

    private static final int TRACKED_DEPTH = 4096;

    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int end;
    private boolean eof;
    /** Position of the last byte consumed: line 1, column 0 before the first. */
    private long line = 1;
    private long column;
    private boolean crossedNewline;

    /** Bytes consumed so far, kept up to a cap, so that the caller may read them again (format detection). */
    private ByteArrayOutputStream record;
    private int recordCap;
    private boolean recordOverflow;

    /** Bracket kinds of the value being read: bit set = object. */
    private final long[] kinds = new long[TRACKED_DEPTH / 64];

    /** @param firstLine the line number of the first byte of {@code in} */
    JsonScanner(InputStream in, long firstLine) {
        this.in = in;
        this.line = firstLine;
    }

    /** Keeps every byte consumed from now on, up to {@code cap} bytes. */
    void startRecording(int cap) {
        record = new ByteArrayOutputStream(Math.min(cap, 1 << 16));
        recordCap = cap;
        recordOverflow = false;
    }

    /** What was recorded (all of it unless {@link #recordOverflowed()}). */
    byte[] recorded() {
        return record.toByteArray();
    }

    boolean recordOverflowed() {
        return recordOverflow;
    }

    /** Stops recording and forgets what was recorded. */
    void stopRecording() {
        record = null;
    }

    /** Whether a newline has been consumed (outside or inside a value). */
    boolean crossedNewline() {
        return crossedNewline;
    }

    /** The bytes read from the source but not consumed yet, followed by the rest of the source. */
    InputStream remaining() {
        return new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(Arrays.copyOfRange(buf, pos, end)), in);
    }

    long line() {
        return line;
    }

    long column() {
        return column;
    }

    private int peek() throws IOException {
        if (pos == end) {
            if (eof) {
                return -1;
            }
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                eof = true; // a stream must not return 0 for a non-empty read; treat it as the end
                return -1;
            }
            pos = 0;
            end = n;
        }
        return buf[pos] & 0xff;
    }

    private int next() throws IOException {
        int b = peek();
        if (b < 0) {
            return -1;
        }
        pos++;
        if (b == '\n') {
            line++;
            column = 0;
            crossedNewline = true;
        } else {
            column++;
        }
        if (record != null && !recordOverflow) {
            if (record.size() < recordCap) {
                record.write(b);
            } else {
                recordOverflow = true;
            }
        }
        return b;
    }

    /** The next byte that is not JSON whitespace, not consumed; -1 at the end. */
    int peekSignificant() throws IOException {
        int b;
        while ((b = peek()) == ' ' || b == '\t' || b == '\n' || b == '\r') {
            next();
        }
        return b;
    }

    /** Consumes the next significant byte, which must be {@code expected}. */
    void expect(char expected, String what) throws IOException, Damaged {
        int b = peekSignificant();
        if (b != expected) {
            throw damaged(b < 0 ? "the input ends where " + what + " should be"
                    : "expected " + what + " here");
        }
        next();
    }

    /** Consumes the next significant byte; -1 at the end. */
    int nextSignificant() throws IOException {
        peekSignificant();
        return next();
    }

    /** Reads a member name (the opening quote not consumed yet); null when longer than {@code maxLength}. */
    String readName(int maxLength) throws IOException, Damaged {
        expect('"', "a member name");
        long startLine = line;
        long startColumn = column;
        ByteArrayOutputStream name = new ByteArrayOutputStream();
        boolean tooLong = false;
        while (true) {
            int b = peek();
            if (b < 0) {
                throw new Damaged("the input ends inside the member name that starts here", startLine, startColumn);
            }
            if (b < 0x20) {
                throw damaged("a control character inside a string (the input is damaged)");
            }
            next();
            if (b == '"') {
                break;
            }
            if (b == '\\') {
                b = next();
                if (b == 'u') {
                    int cp = 0;
                    for (int i = 0; i < 4; i++) {
                        int h = Character.digit(next(), 16);
                        if (h < 0) {
                            throw damaged("a malformed \\u escape in a member name");
                        }
                        cp = cp << 4 | h;
                    }
                    byte[] utf8 = String.valueOf((char) cp).getBytes(StandardCharsets.UTF_8);
                    name.write(utf8, 0, utf8.length);
                    continue;
                }
                b = switch (b) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case -1 -> throw new Damaged("the input ends inside the member name that starts here", startLine,
                            startColumn);
                    default -> b;
                };
            }
            if (name.size() < maxLength) {
                name.write(b);
            } else {
                tooLong = true;
            }
        }
        return tooLong ? null : name.toString(StandardCharsets.UTF_8);
    }

    /**
     * Consumes one value (after optional whitespace). Its bytes go to {@code into} while within
     * {@code maxBytes}, and the depth beyond {@code maxDepth} is only counted; {@code into} may be null to
     * skip a value without keeping it.
     */
    void readValue(Value into, int maxBytes, int maxDepth) throws IOException, Damaged {
        int first = peekSignificant();
        if (into != null) {
            into.length = 0;
            into.tooLarge = false;
            into.tooDeep = false;
            into.line = line;
            into.column = column + 1;
        }
        if (first < 0) {
            throw damaged("the input ends where a value should be");
        }
        if (first == '{' || first == '[') {
            readContainer(into, maxBytes, maxDepth);
        } else if (first == '"') {
            keep(into, next(), maxBytes);
            readStringRest(into, maxBytes);
        } else if (isScalarByte(first)) {
            while (isScalarByte(peek())) {
                keep(into, next(), maxBytes);
            }
        } else {
            throw damaged("expected a value here");
        }
    }

    private void readContainer(Value into, int maxBytes, int maxDepth) throws IOException, Damaged {
        int depth = 0;
        long startLine = line;
        long startColumn = column + 1;
        do {
            int b = next();
            if (b < 0) {
                throw new Damaged("the input ends inside the value that starts here", startLine, startColumn);
            }
            keep(into, b, maxBytes);
            switch (b) {
                case '"' -> readStringRest(into, maxBytes);
                case '{', '[' -> {
                    if (depth < TRACKED_DEPTH) {
                        setKind(depth, b == '{');
                    }
                    depth++;
                    if (depth > maxDepth && into != null) {
                        into.tooDeep = true;
                    }
                }
                case '}', ']' -> {
                    depth--;
                    // Reported at the bracket just read.
                    if (depth < 0) {
                        throw new Damaged("a closing bracket that closes nothing", line, column);
                    }
                    if (depth < TRACKED_DEPTH && isObject(depth) != (b == '}')) {
                        throw new Damaged("'" + (char) b + "' closes a" + (isObject(depth) ? "n object" : "n array"),
                                line, column);
                    }
                }
                default -> {
                    // values and separators inside: checked when the element is parsed
                }
            }
        } while (depth > 0);
    }

    /**
     * The rest of a string after its opening quote. A raw control character (a line break above all) is
     * reported where it stands, before it is consumed: a string cut off at the end of a line is that line's
     * damage.
     */
    private void readStringRest(Value into, int maxBytes) throws IOException, Damaged {
        long startLine = line;
        long startColumn = column;
        boolean escaped = false;
        while (true) {
            int b = peek();
            if (b < 0) {
                throw new Damaged("the input ends inside the string that starts here", startLine, startColumn);
            }
            if (b < 0x20) {
                throw damaged("a control character inside a string (the input is damaged)");
            }
            next();
            keep(into, b, maxBytes);
            if (escaped) {
                escaped = false;
            } else if (b == '"') {
                return;
            } else if (b == '\\') {
                escaped = true;
            }
        }
    }

    private static boolean isScalarByte(int b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '+' || b == '.';
    }

    private static void keep(Value into, int b, int maxBytes) {
        if (into == null || into.tooLarge) {
            return;
        }
        if (into.length == maxBytes) {
            into.tooLarge = true;
            return;
        }
        if (into.length == into.bytes.length) {
            into.bytes = Arrays.copyOf(into.bytes, (int) Math.min((long) into.bytes.length * 2, maxBytes));
        }
        into.bytes[into.length++] = (byte) b;
    }

    private void setKind(int depth, boolean object) {
        if (object) {
            kinds[depth >> 6] |= 1L << depth;
        } else {
            kinds[depth >> 6] &= ~(1L << depth);
        }
    }

    private boolean isObject(int depth) {
        return (kinds[depth >> 6] & 1L << depth) != 0;
    }

    void close() throws IOException {
        in.close();
    }

    /** A {@link Damaged} at the byte about to be read (or the last one, at the end of the input). */
    Damaged damaged(String what) throws IOException {
        return peek() < 0 ? new Damaged(what, line, column) : new Damaged(what, line, column + 1);
    }
}
