package org.panolm.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.JsonFactory;

import org.junit.jupiter.api.Test;

import org.panolm.cli.io.EventParser;
import org.panolm.cli.io.JsonLimits;
import org.panolm.megolm.MegolmOutboundSession;

/**
 * The map side's streaming scan routes every event as the reduce side's strict parse will judge it: an
 * encrypted event to its session (with the index from its ciphertext), anything else to a key of its own.
 */
class KeyBySessionTest {
    private static final JsonLimits LIMITS = new JsonLimits(JsonLimits.DEFAULT_MAX_EVENT_BYTES,
            JsonLimits.DEFAULT_MAX_DEPTH);

    @Test
    void theScanRoutesAsTheStrictParseJudges() {
        List<String> events = new ArrayList<>(List.of(
                "{\"type\":\"m.room.encrypted\",\"content\":{\"session_id\":\"S1\",\"ciphertext\":\"AwgF\"}}",
                "{\"content\":{\"ciphertext\":\"AwgF\",\"session_id\":\"S1\"},\"type\":\"m.room.encrypted\"}",
                "{\"type\":\"m.room.encrypted\",\"sender\":{\"a\":[1,{\"b\":\"}\"}]},\"content\":{\"x\":{\"session_id\":\"NO\"},"
                        + "\"session_id\":\"S2\"}}",
                "{\"type\":\"m.room.message\",\"content\":{\"session_id\":\"S1\",\"ciphertext\":\"AwgF\"}}",
                "{\"type\":\"m.room.encrypted\",\"content\":{\"session_id\":\"\"}}",
                "{\"type\":\"m.room.encrypted\",\"content\":{\"session_id\":7}}",
                "{\"type\":\"m.room.encrypted\",\"content\":[\"session_id\",\"S1\"]}",
                "{\"type\":[\"m.room.encrypted\"],\"content\":{\"session_id\":\"S1\"}}",
                "{\"type\":\"m.room.encrypted\"}",
                "{\"content\":{\"session_id\":\"S1\"}}",
                "[\"m.room.encrypted\"]",
                "\"m.room.encrypted\"",
                "",
                "{\"type\":\"m.room.encrypted\",\"content\":{\"session_id\":\"S1\"",
                "{\"type\":\"m.room.encrypted\",\"content\":{\"session_id\":\"S1\"}} trailing",
                "{\"type\":\"m.room.encrypted\",\"type\":\"m.room.message\",\"content\":{\"session_id\":\"S1\"}}",
                "{\"type\":\"m.room.encrypted\",\"content\":{\"session_id\":\"S1\",\"session_id\":\"S2\"}}",
                "{\"type\":\"m.room.encrypted\",\"content\":{\"session_id\":\"S\\u0031\",\"ciphertext\":\"not base64\"}}"));
        try (MegolmOutboundSession s = MegolmOutboundSession.create()) {
            for (int i = 0; i < 3; i++) {
                String ct = new String(s.encryptToAscii("{}".getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
                events.add("{\"type\":\"m.room.encrypted\",\"room_id\":\"!r\",\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\","
                        + "\"ciphertext\":\"" + ct + "\",\"session_id\":\"" + s.sessionId() + "\"}}");
            }
        }
        // Every prefix of a valid event too: truncated input is the common malformed row.
        String whole = events.get(events.size() - 1);
        for (int cut = 0; cut < whole.length(); cut += 7) {
            events.add(whole.substring(0, cut));
        }
        // And random bytes flipped in it.
        SplittableRandom random = new SplittableRandom(18);
        String flips = "{}[]\":,a\\ 0";
        for (int n = 0; n < 300; n++) {
            byte[] b = whole.getBytes(StandardCharsets.UTF_8);
            b[random.nextInt(b.length)] = (byte) flips.charAt(random.nextInt(flips.length()));
            events.add(new String(b, StandardCharsets.UTF_8));
        }
        EventParser parser = new EventParser(LIMITS);
        JsonFactory scanner = KeyBySession.scanner(JsonLimits.DEFAULT_MAX_EVENT_BYTES);
        int routed = 0;
        for (String e : events) {
            byte[] bytes = e.getBytes(StandardCharsets.UTF_8);
            KeyBySession.Route route = KeyBySession.route(scanner, bytes);
            EventKind kind = EventKind.read(parser, LIMITS, bytes);
            if (kind.isEncrypted() && kind.sessionId() != null) {
                assertEquals(kind.sessionId(), route == null ? null : route.session(), e);
                assertEquals(CiphertextIndex.of(kind.event().path("content").path("ciphertext").asText(null)),
                        route.index(), e);
                routed++;
            } else if (kind.isEvent()) {
                assertNull(route, e);
            }
            // A row the parse refuses is a BAD_EVENT wherever the scan sent it.
        }
        assertTrue(routed >= 7, "encrypted events in the sample: " + routed);
        KeyBySession.Route third = KeyBySession.route(scanner, events.get(20).getBytes(StandardCharsets.UTF_8));
        assertEquals(2, third.index(), "the third message of its session");
    }

    @Test
    void jsonLinesLinesLoseOneCarriageReturnAndBlankLinesAreSkipped() {
        assertTrue(InputFormat.blankLine(new byte[0]));
        assertTrue(InputFormat.blankLine(" \t\r\r ".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(InputFormat.blankLine(" {} ".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(InputFormat.blankLine("\u00a0".getBytes(StandardCharsets.UTF_8)), "only ASCII blanks");
        assertArrayEquals("{}\r".getBytes(StandardCharsets.US_ASCII),
                InputFormat.withoutCr("{}\r\r".getBytes(StandardCharsets.US_ASCII)));
        byte[] plain = "{}".getBytes(StandardCharsets.US_ASCII);
        assertEquals(plain, InputFormat.withoutCr(plain), "no copy when there is nothing to drop");
    }
}
