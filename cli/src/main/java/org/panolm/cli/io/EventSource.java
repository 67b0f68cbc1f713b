package org.panolm.cli.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

import org.panolm.cli.CliException;
import org.panolm.cli.Errors;

/**
 * Opens an event history and detects its shape: a JSON array ({@code [}), a {@code /messages} response, or
 * JSON Lines (anything else that is text). An object first is a {@code /messages} response when its first
 * decisive member is a {@code chunk} array, and an event (the first line of JSON Lines) when it is an event
 * field ({@code type}, {@code content}, {@code event_id}…). The members before that decision are scanned in
 * a stream, however long (a {@code /messages} body may carry megabytes of {@code state} before its
 * {@code chunk}), and only the first line is kept to be read again as JSON Lines. Input that is none of the
 * shapes is a fatal error, never a silent success.
 */
public final class EventSource {
    private EventSource() {}

    /** Fields that only an event has at its top level: seeing one first means the object is an event. */
    private static final Set<String> EVENT_FIELDS = Set.of("type", "content", "event_id", "sender", "room_id",
            "origin_server_ts", "unsigned", "state_key", "redacts");
    /** Member names longer than this are never decisive (and are not kept). */
    private static final int MAX_NAME = 64;
    private static final String EXPECTED = "expected JSON Lines, a JSON array of events or a /messages response";

    public record Opened(InputFormat format, EventReader reader) {}

    /** As {@link #open(InputStream, String, JsonLimits)} with the default limits. */
    public static Opened open(InputStream in, String name) {
        return open(in, name, JsonLimits.DEFAULT);
    }

    /**
     * @param in   the raw input; owned (closed) by the returned reader
     * @param name the input's name for messages ("standard input", a file name)
     * @throws CliException for empty input, binary input, or an object that is none of the shapes
     */
    public static Opened open(InputStream in, String name, JsonLimits limits) {
        try {
            Probe probe = new Probe(in);
            Probe.First first = probe.detect(name);
            // Leading blank lines still count as lines of the input.
            long leadingLines = probe.newlinesBefore(probe.firstByte);
            InputStream fromFirst = new SequenceInputStream(
                    new ByteArrayInputStream(probe.prefix, probe.firstByte, probe.length - probe.firstByte), in);
            return switch (first) {
                case TEXT -> new Opened(InputFormat.JSON_LINES, new JsonLinesReader(new SequenceInputStream(
                        new ByteArrayInputStream(probe.prefix, probe.contentStart, probe.length - probe.contentStart), in),
                        name, limits, 1, false));
                case ARRAY -> {
                    JsonScanner scanner = new JsonScanner(fromFirst, 1 + leadingLines);
                    scanner.nextSignificant(); // the '['
                    yield new Opened(InputFormat.JSON_ARRAY, new ElementReader(scanner, name, limits, "element", false));
                }
                case OBJECT -> openObject(new JsonScanner(fromFirst, 1 + leadingLines), name, limits, leadingLines);
            };
        } catch (IOException e) {
            throw new CliException("cannot read " + name + ": " + Errors.describe(e), e);
        }
    }

    /**
     * The elements of a JSON array other than a history (a file of room keys), each cut out and parsed on its
     * own as events are, and called {@code label} in messages.
     *
     * @throws CliException when the input does not start with {@code [}
     */
    public static EventReader openArray(InputStream in, String name, JsonLimits limits, String label) {
        JsonScanner scanner;
        try {
            scanner = new JsonScanner(withoutByteOrderMark(in), 1);
            if (scanner.peekSignificant() != '[') {
                throw new CliException(name + " is not a JSON array");
            }
            scanner.nextSignificant();
        } catch (IOException e) {
            throw new CliException("cannot read " + name + ": " + Errors.describe(e), e);
        }
        return new ElementReader(scanner, name, limits, label, false);
    }

    private static InputStream withoutByteOrderMark(InputStream in) throws IOException {
        java.io.PushbackInputStream p = new java.io.PushbackInputStream(in, 3);
        byte[] head = p.readNBytes(3);
        if (!(head.length == 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF)) {
            p.unread(head);
        }
        return p;
    }

    /** What the first object turned out to be, found by scanning its members in order. */
    private enum Decision { MESSAGES, EVENT, NEITHER }

    private static Opened openObject(JsonScanner scanner, String name, JsonLimits limits, long leadingLines)
            throws IOException {
        // The first line, kept to be read again as JSON Lines; one byte more than an event may have.
        scanner.startRecording(limits.maxEventBytes() + 1);
        Decision decision = Decision.NEITHER;
        JsonScanner.Damaged damage = null;
        try {
            scanner.expect('{', "an object");
            if (scanner.peekSignificant() == '}') {
                scanner.nextSignificant();
            } else {
                while (true) {
                    String member = scanner.readName(MAX_NAME);
                    scanner.expect(':', "':'");
                    if (decision == Decision.NEITHER && "chunk".equals(member) && scanner.peekSignificant() == '[') {
                        scanner.stopRecording();
                        scanner.nextSignificant();
                        return new Opened(InputFormat.MESSAGES_RESPONSE,
                                new ElementReader(scanner, name, limits, "chunk element", true));
                    }
                    if (member != null && EVENT_FIELDS.contains(member)) {
                        decision = Decision.EVENT;
                    }
                    scanner.readValue(null, 0, Integer.MAX_VALUE);
                    int b = scanner.nextSignificant();
                    if (b == '}') {
                        break;
                    }
                    if (b != ',') {
                        throw scanner.damaged("expected ',' or '}'");
                    }
                }
            }
        } catch (JsonScanner.Damaged d) {
            damage = d;
        }
        long firstLine = 1 + leadingLines;
        boolean damagedOnFirstLine = damage != null && damage.line == firstLine;
        if (damage == null ? !scanner.crossedNewline() : damagedOnFirstLine || decision == Decision.EVENT) {
            // One event per line: an object that ends on its line, or a first line that is a damaged event.
            if (scanner.recordOverflowed()) {
                if (damage == null || damagedOnFirstLine) {
                    // The whole of the recorded part is the first line: it is too long to be an event.
                    return new Opened(InputFormat.JSON_LINES,
                            new JsonLinesReader(scanner.remaining(), name, limits, firstLine, true));
                }
                throw new CliException(name + " starts with a damaged event (" + damage.describe()
                        + ") and cannot be read as one event per line: " + EXPECTED);
            }
            InputStream again = new SequenceInputStream(new ByteArrayInputStream(scanner.recorded()), scanner.remaining());
            return new Opened(InputFormat.JSON_LINES, new JsonLinesReader(again, name, limits, firstLine, false));
        }
        if (damage != null) {
            throw new CliException(name + " starts with an object that is neither an event on one line nor a "
                    + "/messages response (" + damage.describe() + "): " + EXPECTED);
        }
        throw new CliException(name + " starts with a JSON object spread over several lines that is not a "
                + "/messages response (no chunk array): " + EXPECTED);
    }

    /**
     * After the chunk array of a /messages response: the rest of its members, none of which may be a second
     * chunk or an event field (then the object is neither a response nor an event).
     */
    static void finishMessagesResponse(JsonScanner scanner) throws IOException, JsonScanner.Damaged {
        while (true) {
            int b = scanner.nextSignificant();
            if (b == '}') {
                return;
            }
            if (b != ',') {
                throw scanner.damaged(b < 0 ? "the input ends inside the /messages response (truncated?)"
                        : "expected ',' or '}' in the /messages response");
            }
            long line = scanner.line();
            long column = scanner.column();
            String member = scanner.readName(MAX_NAME);
            if ("chunk".equals(member)) {
                throw new JsonScanner.Damaged("a second chunk in the /messages response", line, column);
            }
            if (member != null && EVENT_FIELDS.contains(member)) {
                throw new JsonScanner.Damaged("the /messages response has a member \"" + member
                        + "\" that only an event has: it is neither a response nor an event", line, column);
            }
            scanner.expect(':', "':'");
            scanner.readValue(null, 0, Integer.MAX_VALUE);
        }
    }

    /** The bytes read so far and what they say about the format. */
    private static final class Probe {
        private final InputStream in;
        private byte[] prefix = new byte[8192];
        private int length;
        private int contentStart;
        private int firstByte;
        private boolean eof;

        Probe(InputStream in) {
            this.in = in;
        }

        /** What the first significant byte says. */
        enum First { ARRAY, OBJECT, TEXT }

        First detect(String name) throws IOException {
            readMore();
            int first;
            while ((first = firstSignificant()) < 0 && !eof) {
                readMore();
            }
            if (first < 0) {
                throw new CliException(name + " is empty" + (length > 0 ? " (only whitespace)" : "") + ": " + EXPECTED);
            }
            firstByte = first;
            byte b = prefix[first];
            if (b == '[') {
                return First.ARRAY;
            }
            if (b == '{') {
                return First.OBJECT;
            }
            while (!eof && length < first + 4096) {
                readMore();
            }
            if (!looksLikeText(first)) {
                throw new CliException(name + " is binary data, not JSON (byte 0x"
                        + String.format("%02x", prefix[first] & 0xff) + " at offset " + first + "): " + EXPECTED);
            }
            return First.TEXT;
        }

        /** How many line breaks the prefix has before {@code index}. */
        long newlinesBefore(int index) {
            long n = 0;
            for (int i = contentStart; i < index; i++) {
                if (prefix[i] == '\n') {
                    n++;
                }
            }
            return n;
        }

        /** Index of the first byte that is not whitespace or a UTF-8 byte-order mark, or -1. */
        private int firstSignificant() {
            int i = 0;
            if (length >= 3 && (prefix[0] & 0xff) == 0xEF && (prefix[1] & 0xff) == 0xBB && (prefix[2] & 0xff) == 0xBF) {
                i = 3;
            } else if (length < 3 && !eof && length > 0 && (prefix[0] & 0xff) == 0xEF) {
                return -1; // perhaps a BOM still arriving
            }
            contentStart = i;
            for (; i < length; i++) {
                byte b = prefix[i];
                if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                    return i;
                }
            }
            return -1;
        }

        /** Valid UTF-8 without control characters other than tab, CR, LF and form feed, in the first 4 KiB. */
        private boolean looksLikeText(int from) {
            int to = Math.min(length, from + 4096);
            for (int i = from; i < to; i++) {
                int b = prefix[i] & 0xff;
                if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' || b == 0x7f) {
                    return false;
                }
            }
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            try {
                // endOfInput=false: a character cut by the 4 KiB window is not an error
                var out = java.nio.CharBuffer.allocate(to - from);
                var result = utf8.decode(ByteBuffer.wrap(prefix, from, to - from), out, false);
                if (result.isError()) {
                    result.throwException();
                }
                return true;
            } catch (CharacterCodingException e) {
                return false;
            }
        }

        private void readMore() throws IOException {
            if (eof) {
                return;
            }
            if (length == prefix.length) {
                prefix = Arrays.copyOf(prefix, prefix.length * 2);
            }
            int n = in.read(prefix, length, prefix.length - length);
            if (n < 0) {
                eof = true;
            } else {
                length += n;
            }
        }
    }
}
