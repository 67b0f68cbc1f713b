package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.testsupport.Peers;

/**
 * The history output cannot lie: no input can pass for a decryption, the shape of the input is recognised
 * wherever its parts lie (or the run fails), and an encrypted event whose checks could not run fails.
 */
class HistoryHonestyIT {
    @TempDir
    Path dir;

    private final History h = History.get();

    private Path keys() {
        return History.write(dir, "keys.json", h.keys.toString());
    }

    private List<ObjectNode> decryptable() {
        return h.events.stream().filter(e -> h.expected.get(e.get("event_id").asText()).get("status").asText().equals("ok"))
                .toList();
    }

    private ObjectNode unencrypted() {
        return h.events.stream().filter(e -> h.expected.get(e.get("event_id").asText()).get("status").asText()
                .equals("not_encrypted")).findFirst().orElseThrow().deepCopy();
    }

    @Test
    void aDecryptionFieldInTheInputIsReplacedOnEveryEvent() {
        ObjectNode plain = unencrypted();
        plain.putObject("decryption").put("status", "ok").put("session_id", "forged").put("message_index", 0);
        ObjectNode encrypted = decryptable().get(0).deepCopy();
        encrypted.putObject("decryption").put("status", "UNKNOWN_SESSION");
        ObjectNode failing = h.events.stream().filter(e -> h.expected.get(e.get("event_id").asText()).get("status")
                .asText().equals("UNKNOWN_SESSION")).findFirst().orElseThrow().deepCopy();
        failing.putObject("decryption").put("status", "ok");
        Cli.Result r = Cli.run(History.jsonLines(List.of(plain, encrypted, failing)), Map.of(), "history", "decrypt",
                "--keys", keys().toString()).expectExit(2);
        List<JsonNode> out = History.lines(r.stdout());
        assertEquals("{\"status\":\"not_encrypted\"}", out.get(0).get("decryption").toString(),
                "an unencrypted event is marked as such, whatever it carried");
        assertEquals("ok", out.get(1).at("/decryption/status").asText());
        assertEquals(h.expected.get(encrypted.get("event_id").asText()).get("session_id"), out.get(1).at("/decryption/session_id"));
        assertEquals("UNKNOWN_SESSION", out.get(2).at("/decryption/status").asText());
        assertTrue(r.lastErrLine().contains("1 decrypted, 1 failed (UNKNOWN_SESSION 1), 1 not encrypted"), r.stderr());
    }

    /** A /messages body with more than a megabyte before its chunk is still read as one. */
    @Test
    void aMessagesBodyWithAMegabyteBeforeChunkIsReadAsAMessagesResponse() throws Exception {
        ObjectNode body = Peers.JSON.createObjectNode();
        body.put("start", "t47-1");
        ArrayNode state = body.putArray("state");
        ObjectNode member = unencrypted();
        ((ObjectNode) member.get("content")).put("displayname", "x".repeat(1 << 20));
        state.add(member).add(member);
        body.putArray("chunk").addAll(decryptable());
        body.put("end", "t1-1");
        for (boolean pretty : new boolean[] {false, true}) {
            byte[] input = pretty ? Peers.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body)
                    : Peers.JSON.writeValueAsBytes(body);
            Cli.Result r = Cli.run(input, Map.of(), "history", "decrypt", "--keys", keys().toString()).expectExit(0);
            List<JsonNode> out = History.lines(r.stdout());
            assertEquals(decryptable().size(), out.size(), "one line per chunk event, not one for the whole body");
            out.forEach(l -> assertEquals("ok", l.at("/decryption/status").asText()));
        }
    }

    @Test
    void inputThatIsNoHistoryExitsNonZero() {
        Path keys = keys();
        // One object that is neither an event nor a /messages response: a bad event, exit 2.
        Cli.Result r = Cli.run("{\"next_batch\":\"s1\",\"rooms\":{}}\n".getBytes(StandardCharsets.UTF_8), Map.of(),
                "history", "decrypt", "--keys", keys.toString()).expectExit(2);
        assertEquals("BAD_EVENT", History.lines(r.stdout()).get(0).at("/decryption/status").asText());
        // The same spread over lines, with megabytes before its end: fatal.
        String multi = "{\n\"next_batch\": \"s1\",\n\"account_data\": [\"" + "a".repeat(2 << 20) + "\"]\n}\n";
        r = Cli.run(multi.getBytes(StandardCharsets.UTF_8), Map.of(), "history", "decrypt", "--keys", keys.toString())
                .expectExit(1);
        assertTrue(r.lastErrLine().contains("not a /messages response"), r.stderr());
        // A chunk and an event field in one object: neither a response nor an event.
        ObjectNode both = Peers.JSON.createObjectNode();
        both.putArray("chunk").addAll(decryptable());
        both.put("type", "m.room.message");
        r = Cli.run(both.toString().getBytes(StandardCharsets.UTF_8), Map.of(), "history", "decrypt", "--keys",
                keys.toString()).expectExit(1);
        assertTrue(r.lastErrLine().contains("neither a response nor an event"), r.stderr());
    }

    @Test
    void anEncryptedEventWithoutRoomIdOrEventIdIsABadEvent() {
        List<ObjectNode> in = new ArrayList<>();
        ObjectNode noRoom = decryptable().get(0).deepCopy();
        noRoom.remove("room_id");
        in.add(noRoom);
        ObjectNode emptyRoom = decryptable().get(1).deepCopy();
        emptyRoom.put("room_id", "");
        in.add(emptyRoom);
        ObjectNode emptyId = decryptable().get(2).deepCopy();
        emptyId.put("event_id", "");
        in.add(emptyId);
        in.add(decryptable().get(3));
        Cli.Result r = Cli.run(History.jsonLines(in), Map.of(), "history", "decrypt", "--keys", keys().toString())
                .expectExit(2);
        List<JsonNode> out = History.lines(r.stdout());
        for (int i = 0; i < 3; i++) {
            assertEquals("BAD_EVENT", out.get(i).at("/decryption/status").asText(), out.get(i).toString());
        }
        assertTrue(out.get(0).at("/decryption/reason").asText().contains("room_id is missing"), out.get(0).toString());
        assertTrue(out.get(1).at("/decryption/reason").asText().contains("room_id is empty"), out.get(1).toString());
        assertTrue(out.get(2).at("/decryption/reason").asText().contains("event_id is missing, empty"), out.get(2).toString());
        assertEquals("ok", out.get(3).at("/decryption/status").asText());
    }

    /** With duplicate keys, two readers of one event could see different types: such an event is refused. */
    @Test
    void aDuplicateTypeCannotHideAnEncryptedEvent() {
        String event = decryptable().get(0).toString();
        String typeFirst = event.replaceFirst("^\\{", "{\"type\":\"m.room.message\",");
        String typeLast = event.substring(0, event.length() - 1) + ",\"type\":\"m.room.message\"}";
        Cli.Result r = Cli.run((typeFirst + "\n" + typeLast + "\n").getBytes(StandardCharsets.UTF_8),
                Map.of(), "history", "decrypt", "--keys", keys().toString()).expectExit(2);
        List<JsonNode> out = History.lines(r.stdout());
        assertEquals(2, out.size());
        for (JsonNode line : out) {
            assertEquals("BAD_EVENT", line.at("/decryption/status").asText(), line.toString());
        }
        assertTrue(out.get(0).at("/decryption/reason").asText().endsWith("duplicate field \"type\""), out.get(0).toString());
        r = Cli.run(("[" + typeLast + "," + decryptable().get(1) + "]").getBytes(StandardCharsets.UTF_8), Map.of(),
                "history", "decrypt", "--keys", keys().toString()).expectExit(2);
        out = History.lines(r.stdout());
        assertEquals("BAD_EVENT", out.get(0).at("/decryption/status").asText());
        assertEquals("ok", out.get(1).at("/decryption/status").asText(), "the next element is read normally");
    }
}
