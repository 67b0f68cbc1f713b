package org.panolm.cli.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.panolm.cli.CliException;

class EventSourceTest {

    private static List<InputEvent> readAll(String input, InputFormat expected) {
        return readAll(input.getBytes(StandardCharsets.UTF_8), expected);
    }

    private static List<InputEvent> readAll(byte[] input, InputFormat expected) {
        EventSource.Opened opened = EventSource.open(new ByteArrayInputStream(input), "in.json");
        assertEquals(expected, opened.format());
        List<InputEvent> all = new ArrayList<>();
        InputEvent e;
        while ((e = opened.reader().next()) != null) {
            all.add(e);
        }
        assertNull(opened.reader().next(), "the end stays the end");
        return all;
    }

    @Test
    void jsonLinesKeepsOrderAndIsolatesAMalformedLine() {
        String in = "{\"event_id\":\"$1\",\"type\":\"a\"}\n{\"event_id\":\"$2\",\n\n{\"event_id\":\"$3\"}\r\n[1]\n";
        List<InputEvent> all = readAll(in, InputFormat.JSON_LINES);
        assertEquals(4, all.size());
        assertEquals("$1", all.get(0).event().get("event_id").asText());
        assertTrue(all.get(1).isMalformed());
        assertTrue(all.get(1).problem().startsWith("line 2: not valid JSON"), all.get(1).problem());
        assertEquals("$3", all.get(2).event().get("event_id").asText());
        assertEquals("line 4", all.get(2).location(), "blank lines count as lines but are not events");
        assertArrayEquals("{\"event_id\":\"$3\"}".getBytes(StandardCharsets.UTF_8), all.get(2).raw(),
                "the line's own bytes, without CR LF, for unchanged pass-through");
        assertEquals("line 5 is an array, not an event object", all.get(3).problem());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i, all.get(i).ordinal());
        }
    }

    @Test
    void jsonLinesWithoutFinalNewlineAndWithTrailingGarbageOnALine() {
        List<InputEvent> all = readAll("{\"a\":1} x\n{\"b\":2}", InputFormat.JSON_LINES);
        assertEquals(2, all.size());
        assertTrue(all.get(0).isMalformed(), "trailing data after the object is not accepted");
        assertEquals(2, all.get(1).event().get("b").asInt());
    }

    @Test
    void textGarbageFirstLineIsThatLinesProblemOnly() {
        List<InputEvent> all = readAll("hello there\n{\"type\":\"m.room.message\"}\n", InputFormat.JSON_LINES);
        assertEquals(2, all.size());
        assertTrue(all.get(0).isMalformed());
        assertEquals("m.room.message", all.get(1).event().get("type").asText());
    }

    @Test
    void byteOrderMarkIsSkipped() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "{\"type\":\"x\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] in = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, in, 0, 3);
        System.arraycopy(body, 0, in, 3, body.length);
        assertEquals("x", readAll(in, InputFormat.JSON_LINES).get(0).event().get("type").asText());
    }

    @Test
    void jsonArrayStreamsElementsAndFlagsNonObjects() {
        List<InputEvent> all = readAll("[\n {\"event_id\":\"$1\"},\n 7,\n {\"event_id\":\"$3\", \"n\": 1.50}\n]\n",
                InputFormat.JSON_ARRAY);
        assertEquals(3, all.size());
        assertEquals("element 2 is a number, not an event object", all.get(1).problem());
        assertEquals("1.50", all.get(2).event().get("n").decimalValue().toPlainString(), "numbers keep their precision");
        assertNull(all.get(0).raw());
    }

    @Test
    void emptyArrayHasNoEvents() {
        assertEquals(0, readAll("[]", InputFormat.JSON_ARRAY).size());
    }

    @Test
    void messagesResponsePrettyPrintedWithFieldsAroundTheChunk() {
        String in = "{\n  \"start\": \"t1\",\n  \"state\": [{\"type\":\"m.room.member\"}],\n  \"chunk\": [\n"
                + "    {\"event_id\": \"$a\"},\n    {\"event_id\": \"$b\"}\n  ],\n  \"end\": \"t2\"\n}\n";
        List<InputEvent> all = readAll(in, InputFormat.MESSAGES_RESPONSE);
        assertEquals(2, all.size());
        assertEquals("$b", all.get(1).event().get("event_id").asText());
        assertEquals("chunk element 2", all.get(1).location());
    }

    @Test
    void messagesResponseOnOneLine() {
        List<InputEvent> all = readAll("{\"chunk\":[{\"event_id\":\"$a\"}],\"start\":\"s\"}", InputFormat.MESSAGES_RESPONSE);
        assertEquals(1, all.size());
    }

    @Test
    void anEventWithAChunkFieldAfterItsTypeIsAnEvent() {
        List<InputEvent> all = readAll("{\"type\":\"x\",\"chunk\":[]}\n{\"type\":\"y\"}\n", InputFormat.JSON_LINES);
        assertEquals(2, all.size());
    }

    @Test
    void emptyInputIsFatal() {
        CliException e = assertThrows(CliException.class, () -> readAll("", InputFormat.JSON_LINES));
        assertTrue(e.getMessage().startsWith("in.json is empty:"), e.getMessage());
        e = assertThrows(CliException.class, () -> readAll(" \n\t\n", InputFormat.JSON_LINES));
        assertTrue(e.getMessage().startsWith("in.json is empty (only whitespace)"), e.getMessage());
    }

    @Test
    void binaryGarbageIsFatalAndSaysWhere() {
        byte[] garbage = new byte[5000];
        new java.util.Random(1).nextBytes(garbage);
        garbage[0] = (byte) 0x89; // not '{' or '[' and not text
        CliException e = assertThrows(CliException.class, () -> readAll(garbage, InputFormat.JSON_LINES));
        assertTrue(e.getMessage().startsWith("in.json is binary data, not JSON (byte 0x89 at offset 0)"), e.getMessage());
    }

    @Test
    void syntaxErrorInsideAnArrayIsFatalWithLineAndColumn() {
        EventSource.Opened opened = EventSource.open(
                new ByteArrayInputStream("[{\"a\":1},\n{\"b\":}]".getBytes(StandardCharsets.UTF_8)), "in.json");
        assertEquals(1, opened.reader().next().event().get("a").asInt());
        CliException e = assertThrows(CliException.class, () -> opened.reader().next());
        assertTrue(e.getMessage().startsWith("in.json line 2, column 6: not valid JSON"), e.getMessage());
    }

    @Test
    void truncatedArrayIsFatal() {
        EventSource.Opened opened = EventSource.open(
                new ByteArrayInputStream("[{\"a\":1},{\"b\"".getBytes(StandardCharsets.UTF_8)), "in.json");
        opened.reader().next();
        assertThrows(CliException.class, () -> opened.reader().next());
    }

    @Test
    void dataAfterTheArrayIsFatal() {
        EventSource.Opened opened = EventSource.open(
                new ByteArrayInputStream("[{\"a\":1}] {".getBytes(StandardCharsets.UTF_8)), "in.json");
        opened.reader().next();
        CliException e = assertThrows(CliException.class, () -> opened.reader().next());
        assertTrue(e.getMessage().contains("after the end of the events array"), e.getMessage());
    }

    @Test
    void multiLineObjectThatIsNoMessagesResponseIsFatal() {
        CliException e = assertThrows(CliException.class,
                () -> readAll("{\n \"type\": \"m.room.encrypted\",\n \"content\": {}\n}\n", InputFormat.JSON_LINES));
        assertTrue(e.getMessage().contains("spread over several lines"), e.getMessage());
    }

    @Test
    void overlongLineIsSkippedWithoutStoppingTheRest() {
        int n = JsonLinesReader.MAX_LINE + 10;
        InputStream in = new InputStream() {
            int pos;
            final byte[] tail = "\n{\"ok\":true}\n".getBytes(StandardCharsets.UTF_8);

            @Override
            public int read() {
                if (pos == 0) {
                    pos++;
                    return '{';
                }
                if (pos < n) {
                    pos++;
                    return 'x';
                }
                int i = pos++ - n;
                return i < tail.length ? tail[i] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int k = 0;
                while (k < len) {
                    int c = read();
                    if (c < 0) {
                        return k == 0 ? -1 : k;
                    }
                    b[off + k++] = (byte) c;
                }
                return k;
            }
        };
        EventSource.Opened opened = EventSource.open(in, "big.jsonl");
        assertEquals(InputFormat.JSON_LINES, opened.format());
        InputEvent first = opened.reader().next();
        assertEquals("line 1 is longer than 16 MiB", first.problem());
        assertTrue(opened.reader().next().event().get("ok").asBoolean());
        assertNull(opened.reader().next());
    }
}
