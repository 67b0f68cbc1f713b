package org.panolm.cli.io;

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
        assertTrue(all.get(1).problem().startsWith("line 2, column 18"), all.get(1).problem());
        assertTrue(all.get(1).problem().contains("not valid JSON"), all.get(1).problem());
        assertEquals("$3", all.get(2).event().get("event_id").asText());
        assertEquals("line 4", all.get(2).location(), "blank lines count as lines but are not events");
        assertEquals("{\"event_id\":\"$3\"}".length(), all.get(2).size(), "the line's own bytes, without CR LF");
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
        assertEquals("element 2 is a number, not an object", all.get(1).problem());
        assertEquals("1.50", all.get(2).event().get("n").decimalValue().toPlainString(), "numbers keep their precision");
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

    /** Elements are cut out before they are parsed: a malformed one is its own error, the next one is read. */
    @Test
    void aSyntaxErrorInsideAnElementIsThatElementsErrorOnly() {
        List<InputEvent> all = readAll("[{\"a\":1},\n{\"b\":},\n{\"c\":3}]", InputFormat.JSON_ARRAY);
        assertEquals(3, all.size());
        assertEquals(1, all.get(0).event().get("a").asInt());
        assertTrue(all.get(1).problem().startsWith("element 2: line 2, column 6"), all.get(1).problem());
        assertEquals(3, all.get(2).event().get("c").asInt());
    }

    @Test
    void aBracketThatClosesNothingIsFatalWithLineAndColumn() {
        EventSource.Opened opened = EventSource.open(
                new ByteArrayInputStream("[{\"a\":1},\n{\"b\":[1}]".getBytes(StandardCharsets.UTF_8)), "in.json");
        assertEquals(1, opened.reader().next().event().get("a").asInt());
        CliException e = assertThrows(CliException.class, () -> opened.reader().next());
        assertEquals("in.json line 2, column 8: '}' closes an array", e.getMessage());
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
        assertTrue(e.getMessage().contains("after the end of the array"), e.getMessage());
    }

    @Test
    void multiLineObjectThatIsNoMessagesResponseIsFatal() {
        CliException e = assertThrows(CliException.class,
                () -> readAll("{\n \"type\": \"m.room.encrypted\",\n \"content\": {}\n}\n", InputFormat.JSON_LINES));
        assertTrue(e.getMessage().contains("spread over several lines"), e.getMessage());
    }

    @Test
    void overlongLineIsSkippedWithoutStoppingTheRest() {
        int n = JsonLimits.DEFAULT_MAX_EVENT_BYTES + 10;
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
        assertEquals("line 1 is longer than 1 MiB (the maximum event size)", first.problem());
        assertTrue(opened.reader().next().event().get("ok").asBoolean());
        assertNull(opened.reader().next());
    }

    private static final JsonLimits SMALL = new JsonLimits(4096, 16);

    private static List<InputEvent> readAll(String input, InputFormat expected, JsonLimits limits) {
        EventSource.Opened opened = EventSource.open(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), "in.json", limits);
        assertEquals(expected, opened.format());
        List<InputEvent> all = new ArrayList<>();
        InputEvent e;
        while ((e = opened.reader().next()) != null) {
            all.add(e);
        }
        return all;
    }

    private static String event(String id) {
        return "{\"type\":\"m.room.message\",\"event_id\":\"" + id + "\",\"content\":{}}";
    }

    /** Where the chunk is does not matter: a megabyte and more of other members may come first. */
    @Test
    void aMessagesBodyWhoseChunkComesAfterMegabytesIsStillAMessagesResponse() {
        String state = "[{\"type\":\"m.room.member\",\"content\":{\"pad\":\"" + "p".repeat(3 << 20) + "\"}}]";
        String oneLine = "{\"start\":\"s\",\"state\":" + state + ",\"chunk\":[" + event("$a") + "," + event("$b")
                + "],\"end\":\"e\"}\n";
        List<InputEvent> all = readAll(oneLine, InputFormat.MESSAGES_RESPONSE);
        assertEquals(List.of("$a", "$b"), all.stream().map(e -> e.event().get("event_id").asText()).toList());
        String pretty = "{\n  \"state\": " + state + ",\n  \"chunk\": [\n    " + event("$a") + "\n  ]\n}\n";
        assertEquals(1, readAll(pretty, InputFormat.MESSAGES_RESPONSE).size());
    }

    @Test
    void anObjectWithAChunkAndAnEventFieldIsNeitherAndFatal() {
        EventSource.Opened opened = EventSource.open(new ByteArrayInputStream(("{\"chunk\":[" + event("$a")
                + "],\"type\":\"m.room.message\"}").getBytes(StandardCharsets.UTF_8)), "in.json");
        assertEquals(InputFormat.MESSAGES_RESPONSE, opened.format());
        opened.reader().next();
        CliException e = assertThrows(CliException.class, () -> opened.reader().next());
        assertTrue(e.getMessage().contains("member \"type\" that only an event has"), e.getMessage());
    }

    @Test
    void aTruncatedMessagesResponseIsFatal() {
        EventSource.Opened opened = EventSource.open(new ByteArrayInputStream(("{\"start\":\"s\",\n\"chunk\":["
                + event("$a") + "]").getBytes(StandardCharsets.UTF_8)), "in.json");
        opened.reader().next();
        CliException e = assertThrows(CliException.class, () -> opened.reader().next());
        assertTrue(e.getMessage().contains("the input ends inside the /messages response"), e.getMessage());
    }

    @Test
    void aMultiLineObjectWithoutChunkBehindMegabytesIsFatal() {
        String in = "{\n\"state\": [\"" + "p".repeat(2 << 20) + "\"],\n\"end\": \"e\"\n}\n";
        CliException e = assertThrows(CliException.class, () -> readAll(in, InputFormat.JSON_LINES));
        assertTrue(e.getMessage().contains("spread over several lines"), e.getMessage());
    }

    @Test
    void aFirstLineThatIsADamagedEventIsThatLinesErrorOnly() {
        List<InputEvent> all = readAll("{\"type\":\"m.room.message\",\"content\":{\"body\":\"cut\n" + event("$b") + "\n",
                InputFormat.JSON_LINES);
        assertEquals(2, all.size());
        assertTrue(all.get(0).isMalformed());
        assertEquals("$b", all.get(1).event().get("event_id").asText());
    }

    @Test
    void aDeeplyNestedLineIsThatLinesErrorOnly() {
        String deep = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        List<InputEvent> all = readAll(event("$a") + "\n" + deep + "\n" + event("$c") + "\n", InputFormat.JSON_LINES,
                new JsonLimits(1 << 20, 64));
        assertEquals(3, all.size());
        assertTrue(all.get(1).problem().startsWith("line 2, column 321"), all.get(1).problem());
        assertTrue(all.get(1).problem().endsWith("nested deeper than 64 levels"), all.get(1).problem());
        assertEquals("$c", all.get(2).event().get("event_id").asText());
    }

    @Test
    void aDeeplyNestedElementIsThatElementsErrorOnly() {
        String deep = "[".repeat(1_000_000) + "]".repeat(1_000_000);
        List<InputEvent> all = readAll("[" + event("$a") + ",\n" + deep + ",\n" + event("$c") + "]",
                InputFormat.JSON_ARRAY, new JsonLimits(4 << 20, 64));
        assertEquals(3, all.size());
        assertEquals("element 2 (line 2) is nested deeper than 64 levels", all.get(1).problem());
        assertEquals("$c", all.get(2).event().get("event_id").asText());
    }

    @Test
    void aDuplicateKeyIsThatEventsError() {
        String dup = "{\"type\":\"m.room.message\",\"event_id\":\"$d\",\"content\":{},\"type\":\"m.room.encrypted\"}";
        List<InputEvent> lines = readAll(dup + "\n" + event("$b") + "\n", InputFormat.JSON_LINES);
        assertEquals("line 1, column 55, at type: duplicate field \"type\"", lines.get(0).problem());
        assertEquals("$b", lines.get(1).event().get("event_id").asText());
        List<InputEvent> elements = readAll("[" + dup + "," + event("$b") + "]", InputFormat.JSON_ARRAY);
        assertEquals("element 1: line 1, column 56, at type: duplicate field \"type\"", elements.get(0).problem());
        List<InputEvent> nested = readAll("[{\"content\":{\"body\":\"a\",\"body\":\"b\"}}]", InputFormat.JSON_ARRAY);
        assertTrue(nested.get(0).problem().endsWith("at content.body: duplicate field \"body\""), nested.get(0).problem());
    }

    /** Memory stays bounded by the maximum event size: a huge item is that item's error, never held whole. */
    @Test
    void anEventOverTheSizeLimitIsThatEventsError() {
        String big = "{\"type\":\"m.room.message\",\"content\":{\"body\":\"" + "b".repeat(10_000) + "\"}}";
        List<InputEvent> lines = readAll(event("$a") + "\n" + big + "\n" + event("$c") + "\n", InputFormat.JSON_LINES, SMALL);
        assertEquals("line 2 is longer than 4 KiB (the maximum event size)", lines.get(1).problem());
        assertEquals("$c", lines.get(2).event().get("event_id").asText());
        List<InputEvent> elements = readAll("[" + event("$a") + "," + big + "," + event("$c") + "]", InputFormat.JSON_ARRAY,
                SMALL);
        assertEquals("element 2 (line 1) is larger than 4 KiB (the maximum size of one)", elements.get(1).problem());
        assertEquals("$c", elements.get(2).event().get("event_id").asText());
        // An over-long first line, which format detection scans first, is that line's error too.
        List<InputEvent> first = readAll(big + "\n" + event("$c") + "\n", InputFormat.JSON_LINES, SMALL);
        assertEquals("line 1 is longer than 4 KiB (the maximum event size)", first.get(0).problem());
        assertEquals("$c", first.get(1).event().get("event_id").asText());
    }

    @Test
    void parseErrorsNameThePlaceAndNeverQuoteTheInput() {
        String secret = "EsTcQ7xPz9Wm4RkV2bNhY8jL3fGd6sAe";
        List<InputEvent> all = readAll("{\"type\": " + secret + "}\n" + secret + "\n[\"" + secret + "\"\n",
                InputFormat.JSON_LINES);
        assertEquals(3, all.size());
        for (InputEvent e : all) {
            assertTrue(e.isMalformed());
            assertTrue(!e.problem().contains(secret.substring(0, 4)) && !e.problem().contains(secret.substring(8, 14)),
                    e.problem());
        }
        assertTrue(all.get(0).problem().startsWith("line 1, column ")
                && all.get(0).problem().endsWith(", at type: not valid JSON (a syntax error or a duplicate field)"),
                all.get(0).problem());
    }
}
