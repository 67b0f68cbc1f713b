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

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;

import org.panolm.cli.CliException;
import org.panolm.cli.Json;

/**
 * Opens an event history and detects its shape from its first bytes: a JSON array ({@code [}), a
 * {@code /messages} response (an object whose first decisive field is a {@code chunk} array), or JSON Lines
 * (anything else that is text). Only a bounded prefix is looked at ({@link #PROBE_LIMIT}); the stream then
 * continues from its start, so nothing is read twice from the source and nothing is held in memory whole.
 */
public final class EventSource {
    private EventSource() {}

    /** How much of the input the detection may look at; a /messages response names its chunk well before. */
    static final int PROBE_LIMIT = 1 << 20;
    /** Fields that only an event has at its top level: seeing one first means the object is an event. */
    private static final Set<String> EVENT_FIELDS = Set.of("type", "content", "event_id", "sender", "room_id",
            "origin_server_ts", "unsigned", "state_key");

    public record Opened(InputFormat format, EventReader reader) {}

    /**
     * @param in   the raw input; owned (closed) by the returned reader
     * @param name the input's name for messages ("standard input", a file name)
     * @throws CliException for empty input, binary input, or a multi-line object that is none of the shapes
     */
    public static Opened open(InputStream in, String name) {
        try {
            Probe probe = new Probe(in);
            InputFormat format = probe.detect(name);
            InputStream whole = new SequenceInputStream(
                    new ByteArrayInputStream(probe.prefix, probe.contentStart, probe.length - probe.contentStart), in);
            return switch (format) {
                case JSON_LINES -> new Opened(format, new JsonLinesReader(whole, name));
                case JSON_ARRAY -> {
                    JsonParser p = StreamedArrayReader.parser(whole);
                    p.nextToken(); // the START_ARRAY the probe saw
                    yield new Opened(format, new StreamedArrayReader(p, name, false));
                }
                case MESSAGES_RESPONSE -> new Opened(format, new StreamedArrayReader(toChunk(whole, name), name, true));
            };
        } catch (IOException e) {
            throw new CliException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /** Positions a parser on the START_ARRAY of {@code chunk}, skipping the fields before it. */
    private static JsonParser toChunk(InputStream whole, String name) throws IOException {
        JsonParser p = StreamedArrayReader.parser(whole);
        try {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("chunk".equals(field) && value == JsonToken.START_ARRAY) {
                    return p;
                }
                p.skipChildren();
            }
        } catch (StreamReadException e) {
            throw new CliException(Location.of(name, e), e);
        }
        throw new CliException(name + ": the /messages response has no chunk array");
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

        InputFormat detect(String name) throws IOException {
            readMore();
            int first;
            while ((first = firstSignificant()) < 0 && !eof) {
                readMore();
            }
            if (first < 0) {
                throw new CliException(name + " is empty" + (length > 0 ? " (only whitespace)" : "")
                        + ": expected JSON Lines, a JSON array of events or a /messages response");
            }
            firstByte = first;
            byte b = prefix[first];
            if (b == '[') {
                return InputFormat.JSON_ARRAY;
            }
            if (b == '{') {
                return objectFormat(name);
            }
            while (!eof && length < 4096) {
                readMore();
            }
            if (!looksLikeText(first)) {
                throw new CliException(name + " is binary data, not JSON (byte 0x"
                        + String.format("%02x", prefix[first] & 0xff) + " at offset " + first
                        + "): expected JSON Lines, a JSON array of events or a /messages response");
            }
            return InputFormat.JSON_LINES;
        }

        /** An object first: a /messages response if it has a chunk array before any event field, else JSON Lines. */
        private InputFormat objectFormat(String name) throws IOException {
            while (true) {
                Verdict v = probeObject();
                switch (v) {
                    case MESSAGES:
                        return InputFormat.MESSAGES_RESPONSE;
                    case ONE_LINE_OBJECT, NOT_JSON:
                        return InputFormat.JSON_LINES; // a bad first line is that line's problem only
                    case MULTI_LINE_OBJECT:
                        throw new CliException(name + " starts with a JSON object spread over several lines that "
                                + "is not a /messages response (no chunk array): expected one event per line, "
                                + "a JSON array of events or a /messages response");
                    case NEED_MORE:
                        if (eof || length >= PROBE_LIMIT) {
                            return InputFormat.JSON_LINES;
                        }
                        readMore();
                        break;
                    default:
                        throw new IllegalStateException(v.name());
                }
            }
        }

        private enum Verdict { MESSAGES, ONE_LINE_OBJECT, MULTI_LINE_OBJECT, NOT_JSON, NEED_MORE }

        private Verdict probeObject() throws IOException {
            try (JsonParser p = Json.factory().createParser(prefix, contentStart, length - contentStart)) {
                p.nextToken();
                JsonToken t;
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    if ("chunk".equals(field) && value == JsonToken.START_ARRAY) {
                        return Verdict.MESSAGES;
                    }
                    if (EVENT_FIELDS.contains(field)) {
                        p.skipChildren();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            p.nextToken();
                            p.skipChildren();
                        }
                        return endsOnFirstLine(p) ? Verdict.ONE_LINE_OBJECT : Verdict.MULTI_LINE_OBJECT;
                    }
                    p.skipChildren();
                }
                if (t == JsonToken.END_OBJECT) {
                    return endsOnFirstLine(p) ? Verdict.ONE_LINE_OBJECT : Verdict.MULTI_LINE_OBJECT;
                }
                return Verdict.NOT_JSON;
            } catch (JsonEOFException e) {
                return eof ? Verdict.NOT_JSON : Verdict.NEED_MORE;
            } catch (StreamReadException e) {
                return Verdict.NOT_JSON;
            }
        }

        private boolean endsOnFirstLine(JsonParser p) {
            long end = contentStart + p.currentLocation().getByteOffset();
            for (int i = firstByte; i < end && i < length; i++) {
                if (prefix[i] == '\n') {
                    return false;
                }
            }
            return true;
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
