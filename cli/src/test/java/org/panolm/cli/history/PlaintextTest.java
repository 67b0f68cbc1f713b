package org.panolm.cli.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import org.panolm.cli.Json;

/**
 * The streaming read of a decrypted payload decides as the strict tree reader does, and a line written from its
 * bytes holds the value the line written from the tree holds (byte for byte when the payload is compact).
 */
class PlaintextTest {

    /** What the tree path says: the payload's tree, or null when it is refused. */
    private static ObjectNode treeVerdict(byte[] json) {
        JsonNode n;
        try {
            n = Json.STRICT_READER.readTree(json);
        } catch (Exception e) {
            return null;
        }
        if (!(n instanceof ObjectNode o) || !o.path("type").isTextual() || !o.path("content").isObject()) {
            return null;
        }
        return o;
    }

    private static String line(Plaintext p) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HistoryWriter w = new HistoryWriter(out);
        ObjectNode event = (ObjectNode) Json.STRICT_READER.readTree("{\"event_id\":\"$e\",\"room_id\":\"!r\"}");
        w.write(event, new Outcome.Decrypted(p, "S", 3, "K", null, 0, 1));
        w.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void agrees(String text) throws Exception {
        byte[] json = text.getBytes(StandardCharsets.UTF_8);
        agrees(json, text);
    }

    private static void agrees(byte[] json, String label) throws Exception {
        ObjectNode tree = treeVerdict(json);
        // Read from the middle of a larger, reused array, as the decryptor does.
        byte[] scratch = new byte[json.length + 7];
        java.util.Arrays.fill(scratch, (byte) '{');
        System.arraycopy(json, 0, scratch, 3, json.length);
        if (tree == null) {
            assertThrows(Plaintext.NotAPayload.class, () -> Plaintext.parse(scratch, 3, json.length), label);
            return;
        }
        Plaintext p = Plaintext.parse(scratch, 3, json.length);
        java.util.Arrays.fill(scratch, (byte) 0); // the payload keeps its own copy
        assertEquals(tree.get("type").textValue(), p.type(), label);
        assertEquals(tree, p.tree(), label);
        String fromTree = line(Plaintext.of(tree));
        String fromBytes = line(p);
        // The same JSON value (a verbatim content keeps the sender's spacing and number spelling), on one line,
        // with nothing a terminal obeys.
        assertEquals(Json.STRICT_READER.readTree(fromTree), Json.STRICT_READER.readTree(fromBytes), label);
        assertTrue(fromBytes.indexOf('\n') == fromBytes.length() - 1, label);
        assertFalse(fromBytes.chars().anyMatch(c -> c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x202e), label);
        if (text(json).equals(tree.toString())) {
            assertEquals(fromTree, fromBytes, label); // written compactly: byte for byte
        }
    }

    private static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }

    @Test
    void theSpecExamplesAndTheEdgesDecideAsTheTreeReader() throws Exception {
        for (String s : List.of(
                "{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"hello\"},\"room_id\":\"!r:x\"}",
                "{\"room_id\":\"!r\",\"content\":{},\"type\":\"t\"}",
                "  {\"type\" : \"t\" , \"content\" : { \"a\" : [ 1 , 2.50 , -0 , 1e5 , null , true ] } }  ",
                "{\"type\":\"t\",\"content\":{\"body\":\"esc \\u009b \\u202e \\\" \\\\ \\/ \\n\"}}",
                "{\"type\":\"t\",\"content\":{\"body\":\"caf\u00e9 \u202e \u009b\"}}",
                "{\"type\":\"t\",\"content\":{\"body\":\"del \u007f\"}}",
                "{\"type\":\"t\",\n\"content\":{\n\"body\":\"lines\"\n}\n}",
                "{\"type\":\"t\",\"content\":{\"body\":\"tab\"},\t\"x\":1}",
                "{\"type\":\"t\",\"content\":{\"big\":123456789012345678901234567890123,\"n\":1.000}}",
                "{\"type\":\"t\",\"content\":{\"deep\":[[[[{\"a\":[{}]}]]]]}}",
                // refused
                "{\"type\":\"t\",\"content\":{\"a\":1,\"a\":2}}",
                "{\"type\":\"t\",\"type\":\"u\",\"content\":{}}",
                "{\"type\":\"t\",\"content\":{},\"content\":{}}",
                "{\"type\":\"t\",\"content\":{}} x",
                "{\"type\":\"t\",\"content\":{}}{}",
                "{\"type\":\"t\",\"content\":{}",
                "{\"type\":\"t\",\"content\":[]}",
                "{\"type\":\"t\",\"content\":\"{}\"}",
                "{\"type\":1,\"content\":{}}",
                "{\"type\":null,\"content\":{}}",
                "{\"content\":{}}",
                "{\"type\":\"t\"}",
                "[{\"type\":\"t\",\"content\":{}}]",
                "\"text\"",
                "",
                "{\"type\":\"t\",\"content\":{'a':1}}",
                "{\"type\":\"t\",\"content\":{\"a\":01}}",
                "{\"type\":\"t\",\"content\":{\"a\":NaN}}",
                "{\"type\":\"t\",\"content\":{\"a\":\"raw \u0001 control\"}}",
                "{\"type\":\"t\",\"content\":{\"a\":1,}}",
                "{\"type\":\"t\",\"content\":{}, /* c */ \"x\":1}")) {
            agrees(s);
        }
        // Not UTF-8 inside a string: a continuation byte missing, an overlong encoding, a lone continuation byte.
        for (byte[] bad : List.of(new byte[] {(byte) 0xc3, 'x'}, new byte[] {(byte) 0xc0, (byte) 0xaf},
                new byte[] {(byte) 0x80}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})) {
            byte[] head = "{\"type\":\"t\",\"content\":{\"a\":\"".getBytes(StandardCharsets.US_ASCII);
            byte[] tail = "\"}}".getBytes(StandardCharsets.US_ASCII);
            byte[] json = new byte[head.length + bad.length + tail.length];
            System.arraycopy(head, 0, json, 0, head.length);
            System.arraycopy(bad, 0, json, head.length, bad.length);
            System.arraycopy(tail, 0, json, head.length + bad.length, tail.length);
            agrees(json, "invalid UTF-8 " + java.util.HexFormat.of().formatHex(bad));
        }
    }

    @Test
    void aDeepPayloadIsRefusedAsTheTreeReaderRefusesIt() throws Exception {
        agrees("{\"type\":\"t\",\"content\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
    }

    @Test
    void onlyPrintableAsciiOnOneLineGoesAsItCame() throws Exception {
        // Written from its bytes: the sender's spacing and escapes stay.
        String kept = "{\"type\":\"t\",\"content\":{ \"n\" : 1.0e2, \"s\":\"\\u00e9\" }}";
        assertTrue(line(Plaintext.parse(kept.getBytes(StandardCharsets.UTF_8), 0, kept.length()))
                .contains("\"content\":{ \"n\" : 1.0e2, \"s\":\"\\u00e9\" },"));
        // Through the tree: a raw line break or a character a terminal obeys is never copied.
        for (String s : List.of("{\"type\":\"t\",\"content\":{\n\"a\":1}}", "{\"type\":\"t\",\"content\":{\"a\":\"\u009b\"}}",
                "{\"type\":\"t\",\"content\":{\"a\":\"\u202e\"}}")) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            String l = line(Plaintext.parse(b, 0, b.length));
            assertFalse(l.substring(0, l.length() - 1).contains("\n"), s);
            assertFalse(l.contains("\u009b") || l.contains("\u202e"), s);
        }
    }

    @Test
    void randomPayloadsAndTheirMutationsDecideAndWriteAsTheTree() throws Exception {
        Random random = new Random(20261206);
        String[] pieces = {"{", "}", "[", "]", ",", ":", "\"type\"", "\"content\"", "\"t\"", "\"a\"", "1", "-2.5e3",
                "true", "null", " ", "\n", "\"\\u202e\"", "\"\u00e9\"", "\"\u009b\"", "\"x\\\"y\"", "\u007f"};
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            StringBuilder s = new StringBuilder("{\"type\":\"m.t\",\"content\":{");
            int fields = random.nextInt(4);
            for (int f = 0; f < fields; f++) {
                if (f > 0) s.append(',');
                s.append("\"f").append(random.nextInt(3)).append("\":").append(pieces[8 + random.nextInt(9)]);
            }
            s.append("}}");
            seeds.add(s.toString());
        }
        for (String seed : seeds) {
            agrees(seed);
            // One piece inserted somewhere: mostly refused, sometimes still a payload.
            int at = random.nextInt(seed.length() + 1);
            agrees(seed.substring(0, at) + pieces[random.nextInt(pieces.length)] + seed.substring(at));
        }
    }
}
