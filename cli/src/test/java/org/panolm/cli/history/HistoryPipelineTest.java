package org.panolm.cli.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import org.panolm.megolm.KeyProvenance;

import org.panolm.cli.Json;
import org.panolm.cli.io.EventSource;

/** The pipeline's own duties: order, exactly one line per event, batch bounds, output shapes. */
class HistoryPipelineTest {

    /** Decrypts "ciphertext" fields of the form "ok:TEXT" and fails the rest, recording batch sizes. */
    private static final class ScriptedDecryptor implements BatchDecryptor {
        final List<Integer> batchSizes = new ArrayList<>();

        @Override
        public void decrypt(List<ObjectNode> events, List<Outcome> results) {
            batchSizes.add(events.size());
            for (ObjectNode e : events) {
                String c = e.path("content").path("ciphertext").asText();
                if (c.startsWith("ok:")) {
                    ObjectNode plain = Json.MAPPER.createObjectNode();
                    plain.put("type", "m.room.message");
                    plain.putObject("content").put("body", c.substring(3));
                    results.add(new Outcome.Decrypted(plain, "S", 7, "K", new KeyProvenance.RestoredFromBackup("3", true),
                            c.equals("ok:m8") ? 1 : 0, c.equals("ok:m8") ? 2 : 1));
                } else {
                    results.add(new Outcome.Failed("BAD_MAC", "the MAC does not verify"));
                }
            }
        }
    }

    @Test
    void everyEventOnceInInputOrderAcrossBatches() throws Exception {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            if (i == 4) {
                in.append("{not json\n");
            } else if (i % 3 == 0) {
                in.append("{\"type\":\"m.room.message\",\"event_id\":\"$").append(i).append("\",\"content\":{\"body\":\"x\"}}\n");
            } else {
                in.append("{\"type\":\"m.room.encrypted\",\"event_id\":\"$").append(i).append("\",\"room_id\":\"!r\",")
                        .append("\"sender\":\"@a:b\",\"origin_server_ts\":").append(1000 + i).append(",\"unsigned\":{},")
                        .append("\"content\":{\"ciphertext\":\"").append(i == 7 ? "bad" : "ok:m" + i).append("\"}}\n");
            }
        }
        ScriptedDecryptor decryptor = new ScriptedDecryptor();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var opened = EventSource.open(new ByteArrayInputStream(in.toString().getBytes(StandardCharsets.UTF_8)), "h");
        Summary summary = new HistoryPipeline(opened.reader(), decryptor, 3, () -> {}).run(out);

        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n", -1);
        assertEquals(11, lines.length, "ten lines and the final newline");
        assertEquals("", lines[10]);
        assertTrue(decryptor.batchSizes.stream().allMatch(n -> n <= 3), decryptor.batchSizes.toString());
        for (int i = 0; i < 10; i++) {
            JsonNode line = Json.MAPPER.readTree(lines[i]);
            if (i == 4) {
                assertEquals("BAD_EVENT", line.at("/decryption/status").asText());
                assertTrue(line.at("/decryption/reason").asText().startsWith("line 5, column 2"),
                        line.at("/decryption/reason").asText());
                continue;
            }
            assertEquals("$" + i, line.get("event_id").asText(), "order kept");
            if (i % 3 == 0) {
                ObjectNode expected = (ObjectNode) Json.MAPPER.readTree(in.toString().split("\n")[i]);
                expected.putObject("decryption").put("status", "not_encrypted");
                assertEquals(expected, line, "unencrypted events keep their fields and say they were not encrypted");
            } else if (i == 7) {
                assertEquals("BAD_MAC", line.at("/decryption/status").asText());
                assertEquals("m.room.encrypted", line.get("type").asText(), "a failed event keeps its fields");
                assertEquals("bad", line.at("/content/ciphertext").asText());
            } else {
                assertEquals("ok", line.at("/decryption/status").asText());
                assertEquals("m.room.message", line.get("type").asText());
                assertEquals("m" + i, line.at("/content/body").asText());
                assertEquals(1000 + i, line.get("origin_server_ts").asInt());
                assertEquals("!r", line.get("room_id").asText());
                assertEquals("@a:b", line.get("sender").asText());
                assertEquals(7, line.at("/decryption/message_index").asInt());
                assertEquals("S", line.at("/decryption/session_id").asText());
                assertEquals("K", line.at("/decryption/sender_key").asText());
                // A key from a backup: its provenance and trust say so, never a sender-authenticated result.
                assertEquals("unauthenticated", line.at("/decryption/trust").asText());
                assertFalse(line.at("/decryption/authenticated").asBoolean());
                assertEquals(Json.MAPPER.readTree("{\"source\":\"backup\",\"backup_version\":\"3\",\"auth_data_trusted\":true}"),
                        line.at("/decryption/key_provenance"));
                assertEquals(i == 8 ? 2 : 0, line.at("/decryption/key_copies").asInt(), "copies only when several");
                assertEquals(i == 8, line.at("/decryption").has("key_copy"));
                assertTrue(line.get("unsigned") == null, "only the documented fields are kept");
            }
        }
        assertEquals(10, summary.events());
        assertEquals(4, summary.decrypted());
        assertEquals(java.util.Map.of("BAD_MAC", 1L, "BAD_EVENT", 1L), summary.failedByCode());
        assertTrue(summary.line(1.0).startsWith("10 events: 4 decrypted, 2 failed (BAD_EVENT 1, BAD_MAC 1), 4 not encrypted; "),
                summary.line(1.0));
    }

    /** Run the pipeline over JSON Lines with the scripted decryptor; returns the output lines. */
    private static List<JsonNode> run(String jsonLines) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var opened = EventSource.open(new ByteArrayInputStream(jsonLines.getBytes(StandardCharsets.UTF_8)), "h");
        new HistoryPipeline(opened.reader(), new ScriptedDecryptor(), 4, () -> {}).run(out);
        List<JsonNode> lines = new ArrayList<>();
        for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) {
            lines.add(Json.MAPPER.readTree(l));
        }
        return lines;
    }

    /** No input can pass for a decryption: panolm's own decryption object replaces any the input carries. */
    @Test
    void aDecryptionFieldInTheInputIsReplacedOnEveryEvent() throws Exception {
        String forged = ",\"decryption\":{\"status\":\"ok\",\"session_id\":\"S\",\"message_index\":0}";
        List<JsonNode> out = run(""
                + "{\"type\":\"m.room.message\",\"event_id\":\"$plain\",\"content\":{\"body\":\"hi\"}" + forged + "}\n"
                + "{\"decryption\":{\"status\":\"ok\"},\"type\":\"m.room.encrypted\",\"event_id\":\"$bad\",\"room_id\":\"!r\","
                + "\"content\":{\"ciphertext\":\"bad\"}}\n"
                + "{\"type\":\"m.room.encrypted\",\"event_id\":\"$ok\",\"room_id\":\"!r\",\"content\":{\"ciphertext\":\"ok:x\"}"
                + forged + "}\n"
                + "{\"event_id\":\"$notype\",\"content\":{}" + forged + "}\n");
        assertEquals(4, out.size());
        assertEquals("{\"status\":\"not_encrypted\"}", out.get(0).get("decryption").toString());
        assertEquals("hi", out.get(0).at("/content/body").asText(), "the rest of an unencrypted event is kept");
        assertEquals("BAD_MAC", out.get(1).at("/decryption/status").asText());
        assertEquals("{\"status\":\"ok\",\"session_id\":\"S\",\"message_index\":7,\"sender_key\":\"K\","
                        + "\"trust\":\"unauthenticated\",\"authenticated\":false,"
                        + "\"key_provenance\":{\"source\":\"backup\",\"backup_version\":\"3\",\"auth_data_trusted\":true}}",
                out.get(2).get("decryption").toString());
        assertEquals("BAD_EVENT", out.get(3).at("/decryption/status").asText(), "an object without a type is no event");
        assertEquals("line 4: type is missing or not a string", out.get(3).at("/decryption/reason").asText());
        assertEquals(1, out.get(3).size(), "what is no event is not echoed, only its error: " + out.get(3));
        for (JsonNode line : out) {
            assertEquals(1, countFields(line, "decryption"), "exactly one decryption object, ours: " + line);
        }
    }

    /**
     * A decryptor that holds two batches' results, as the Megolm one does: the pipeline must finish each
     * pending batch before starting two more (else the results would be overwritten), and the outcomes are
     * made off the decrypting thread.
     */
    @Test
    void pendingBatchesAreFinishedBeforeTheirResultsAreReused() throws Exception {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            if (i % 7 == 3) {
                in.append("{\"type\":\"m.room.message\",\"event_id\":\"$").append(i).append("\",\"content\":{}}\n");
            } else {
                in.append("{\"type\":\"m.room.encrypted\",\"event_id\":\"$").append(i)
                        .append("\",\"room_id\":\"!r\",\"content\":{\"ciphertext\":\"ok:m").append(i).append("\"}}\n");
            }
        }
        ScriptedDecryptor inner = new ScriptedDecryptor();
        Thread caller = Thread.currentThread();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        BatchDecryptor twoSlots = new BatchDecryptor() {
            final boolean[] unfinished = new boolean[2];
            int next;

            @Override
            public void decrypt(List<ObjectNode> events, List<Outcome> results) {
                throw new AssertionError("the pipeline uses start");
            }

            @Override
            public synchronized Pending start(List<ObjectNode> events) {
                int slot = next;
                next ^= 1;
                if (unfinished[slot]) {
                    problems.add("slot " + slot + " reused before it was finished");
                }
                unfinished[slot] = true;
                List<Outcome> done = new ArrayList<>();
                inner.decrypt(events, done);
                return results -> {
                    if (Thread.currentThread() == caller) {
                        problems.add("outcomes made on the decrypting thread");
                    }
                    // Slow outcomes: the decrypting stage runs ahead if the pipeline lets it.
                    java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
                    synchronized (this) {
                        unfinished[slot] = false;
                    }
                    results.addAll(done);
                };
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var opened = EventSource.open(new ByteArrayInputStream(in.toString().getBytes(StandardCharsets.UTF_8)), "h");
        Summary summary = new HistoryPipeline(opened.reader(), twoSlots, 6, () -> {}).run(out);
        assertEquals(List.of(), problems);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(200, lines.length);
        for (int i = 0; i < 200; i++) {
            JsonNode line = Json.MAPPER.readTree(lines[i]);
            assertEquals("$" + i, line.get("event_id").asText(), "order kept");
            assertEquals(i % 7 == 3 ? "not_encrypted" : "ok", line.at("/decryption/status").asText());
            if (i % 7 != 3) {
                assertEquals("m" + i, line.at("/content/body").asText(), "each event's own plaintext");
            }
        }
        assertEquals(200 - 29, summary.decrypted());
    }

    private static int countFields(JsonNode line, String name) {
        int n = 0;
        for (var it = line.fieldNames(); it.hasNext(); ) {
            if (it.next().equals(name)) {
                n++;
            }
        }
        return n;
    }
}
