package org.panolm.cli.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import org.panolm.cli.Json;
import org.panolm.megolm.KeyProvenance;

/** The streamed lines: the same fields, in the same order, as the tree the Spark job builds from the same code. */
class HistoryWriterTest {

    private static String line(ObjectNode event, Outcome outcome) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HistoryWriter writer = new HistoryWriter(out);
        writer.write(event, outcome);
        writer.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static ObjectNode event(String json) throws Exception {
        return (ObjectNode) Json.STRICT_READER.readTree(json);
    }

    @Test
    void decryptedLineKeepsOnlyItsFieldsAndTakesTypeAndContentFromThePlaintext() throws Exception {
        ObjectNode plain = event("{\"type\":\"m.room.message\",\"content\":{\"body\":\"hi\\u009b\"},\"room_id\":\"!r\"}");
        Outcome.Decrypted d = new Outcome.Decrypted(plain, "S", 7, "K",
                new KeyProvenance.RestoredFromBackup("3", true), 1, 2);
        String line = line(event("{\"type\":\"m.room.encrypted\",\"event_id\":\"$e\",\"unsigned\":{\"a\":1},"
                + "\"sender\":\"@a:b\",\"room_id\":\"!r\",\"origin_server_ts\":12,\"decryption\":{\"status\":\"ok\"},"
                + "\"content\":{\"ciphertext\":\"x\"}}"), d);
        assertEquals("{\"event_id\":\"$e\",\"room_id\":\"!r\",\"sender\":\"@a:b\",\"origin_server_ts\":12,"
                + "\"type\":\"m.room.message\",\"content\":{\"body\":\"hi\\u009b\"},\"decryption\":"
                + Json.MAPPER.writeValueAsString(HistoryWriter.decryption(d)) + "}\n", line);
        JsonNode decryption = Json.MAPPER.readTree(line).get("decryption");
        assertEquals("ok", decryption.get("status").asText());
        assertEquals(7, decryption.get("message_index").asLong());
        assertEquals("backup", decryption.at("/key_provenance/source").asText());
        assertEquals(2, decryption.get("key_copies").asInt());
    }

    @Test
    void otherEventsPassThroughExactlyWithoutAnInputDecryption() throws Exception {
        String in = "{\"type\":\"m.room.message\",\"decryption\":{\"status\":\"ok\"},\"event_id\":\"$x\","
                + "\"content\":{\"n\":1.50,\"big\":123456789012345678901234567890,\"l\":[true,null,0.10]}}";
        assertEquals("{\"type\":\"m.room.message\",\"event_id\":\"$x\",\"content\":{\"n\":1.50,"
                + "\"big\":123456789012345678901234567890,\"l\":[true,null,0.10]},"
                + "\"decryption\":{\"status\":\"not_encrypted\"}}\n", line(event(in), Outcome.NOT_ENCRYPTED));
        assertEquals("{\"decryption\":{\"status\":\"BAD_MAC\",\"reason\":\"r\"}}\n",
                line(null, new Outcome.Failed("BAD_MAC", "r")));
    }

    @Test
    void theTreeFormIsTheStreamedForm() throws Exception {
        for (Outcome o : List.of(Outcome.NOT_ENCRYPTED, new Outcome.Failed("UNKNOWN_SESSION", "no key"),
                new Outcome.Decrypted(event("{\"type\":\"t\",\"content\":{}}"), "S", 0, null, null, 0, 1))) {
            ObjectNode event = o instanceof Outcome.Decrypted ? event("{\"event_id\":\"$e\"}") : null;
            assertEquals(Json.MAPPER.readTree(line(event, o)).get("decryption").toString(),
                    HistoryWriter.decryption(o).toString());
        }
    }

    @Test
    void aDoNotStoreEventSaysSoAndIsCountedApart() {
        ObjectNode d = HistoryWriter.decryption(new Outcome.WithheldDoNotStore("SESSION"));
        assertEquals("withheld_do_not_store", d.path("status").asText());
        assertEquals("SESSION", d.path("session_id").asText());
        assertEquals("the sender asked that this message not be kept (do-not-store)", d.path("reason").asText());
        Summary summary = new Summary();
        summary.count(true, new Outcome.WithheldDoNotStore("SESSION"));
        assertEquals(0, summary.failed(), "withheld on request is not a failure");
        assertEquals(true, summary.line(1).contains(", 1 withheld by do-not-store; "), summary.line(1));
    }
}
