package org.panolm.spark;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.JsonGenerator;

import org.panolm.cli.Json;
import org.panolm.megolm.ExportedSessionKey;
import org.panolm.megolm.MegolmOutboundSession;

/**
 * For the benchmark (benchmarks/spark-run): a large encrypted history made with panolm's Megolm engine,
 * {@code history.jsonl} and its keys as a JSON array of exported room keys ({@code keys.json}). Sessions
 * rotate every {@code rotate} messages per room, as clients do; events are interleaved over rooms at random.
 * Arguments: folder, events, rooms, rotate.
 */
public final class SyntheticHistory {
    private SyntheticHistory() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        long events = Long.parseLong(args[1]);
        int rooms = Integer.parseInt(args[2]);
        int rotate = Integer.parseInt(args[3]);
        MegolmOutboundSession[] current = new MegolmOutboundSession[rooms];
        int[] used = new int[rooms];
        SplittableRandom random = new SplittableRandom(42);
        Files.createDirectories(dir);
        try (OutputStream history = new BufferedOutputStream(Files.newOutputStream(dir.resolve("history.jsonl")), 1 << 20);
             JsonGenerator keys = Json.factory().createGenerator(Files.newOutputStream(dir.resolve("keys.json")))) {
            keys.writeStartArray();
            for (long n = 0; n < events; n++) {
                int r = random.nextInt(rooms);
                String room = "!room" + r + ":bench.example";
                if (current[r] == null || used[r] == rotate) {
                    if (current[r] != null) current[r].close();
                    current[r] = MegolmOutboundSession.create();
                    used[r] = 0;
                    writeKey(keys, room, current[r]);
                }
                used[r]++;
                var plaintext = Json.MAPPER.createObjectNode();
                plaintext.put("type", "m.room.message");
                plaintext.putObject("content").put("msgtype", "m.text")
                        .put("body", "Message " + n + " of the benchmark history: the quick brown fox jumps over the lazy dog.");
                plaintext.put("room_id", room);
                byte[] ct = current[r].encryptToAscii(Json.MAPPER.writeValueAsBytes(plaintext));
                String line = "{\"type\":\"m.room.encrypted\",\"event_id\":\"$bench" + n + "\",\"room_id\":\"" + room
                        + "\",\"sender\":\"@sender" + r + ":bench.example\",\"origin_server_ts\":" + (1_700_000_000_000L + n)
                        + ",\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"ciphertext\":\""
                        + new String(ct, StandardCharsets.US_ASCII) + "\",\"session_id\":\"" + current[r].sessionId()
                        + "\",\"sender_key\":\"benchsenderkey\",\"device_id\":\"BENCH\"}}\n";
                history.write(line.getBytes(StandardCharsets.UTF_8));
            }
            keys.writeEndArray();
        } finally {
            for (MegolmOutboundSession s : current) {
                if (s != null) s.close();
            }
        }
    }

    /** The session's key from its first index, in the export format (a session key without its signature). */
    private static void writeKey(JsonGenerator keys, String room, MegolmOutboundSession session) throws IOException {
        byte[] signed = session.sessionKey().bytes();
        byte[] exported = Arrays.copyOf(signed, ExportedSessionKey.LENGTH);
        exported[0] = ExportedSessionKey.VERSION;
        keys.writeStartObject();
        keys.writeStringField("algorithm", "m.megolm.v1.aes-sha2");
        keys.writeStringField("room_id", room);
        keys.writeStringField("sender_key", "benchsenderkey");
        keys.writeStringField("session_id", session.sessionId());
        keys.writeStringField("session_key", new ExportedSessionKey(exported).toBase64());
        keys.writeObjectFieldStart("sender_claimed_keys");
        keys.writeStringField("ed25519", "benchclaimedkey");
        keys.writeEndObject();
        keys.writeArrayFieldStart("forwarding_curve25519_key_chain");
        keys.writeEndArray();
        keys.writeEndObject();
        Arrays.fill(signed, (byte) 0);
        Arrays.fill(exported, (byte) 0);
    }
}
