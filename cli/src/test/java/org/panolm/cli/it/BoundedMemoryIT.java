package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.MegolmOutboundSession;

/**
 * A history far larger than the heap streams through decryption: the command holds one batch, not the input.
 * About 45 MB of encrypted events, every one of which decrypts, pass through a JVM limited to a 24 MB heap,
 * fed from a pipe, and come out as about 40 MB of decrypted events. (This test used to send events of
 * sessions nobody had a key for, so nothing was ever decrypted and the plaintexts never took memory.)
 */
class BoundedMemoryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOM = "!r:x";

    @TempDir
    Path dir;

    @Test
    void aHistoryLargerThanTheHeapStreamsThroughDecryption() throws Exception {
        int events = 30_000;
        String padding = "p".repeat(1000);
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession in = MegolmInboundSession.create(out.sessionKey())) {
            String key = "[{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"room_id\":\"" + ROOM + "\","
                    + "\"sender_key\":\"c2VuZGVyIGN1cnZlMjU1MTkga2V5IG9mIDMyIGJ5dGVz\",\"session_id\":\""
                    + in.sessionId() + "\",\"session_key\":\"" + in.exportAt(0).toBase64() + "\","
                    + "\"sender_claimed_keys\":{},\"forwarding_curve25519_key_chain\":[]}]";
            Path keys = History.write(dir, "keys.json", key);
            Path output = dir.resolve("out.jsonl");
            Cli.Result r = Cli.run(List.of("-Xmx24m"), stdin -> {
                // Encrypted as they are written, so the test holds no more than the command does.
                for (int i = 0; i < events; i++) {
                    String plaintext = "{\"type\":\"m.room.message\",\"room_id\":\"" + ROOM + "\",\"content\":"
                            + "{\"msgtype\":\"m.text\",\"body\":\"" + i + " " + padding + "\"}}";
                    stdin.write(("{\"type\":\"m.room.encrypted\",\"event_id\":\"$big" + i + "\",\"room_id\":\"" + ROOM
                            + "\",\"sender\":\"@a:x\",\"origin_server_ts\":" + i + ",\"content\":{\"algorithm\":"
                            + "\"m.megolm.v1.aes-sha2\",\"session_id\":\"" + out.sessionId() + "\",\"ciphertext\":\""
                            + out.encrypt(plaintext) + "\"}}\n").getBytes(StandardCharsets.UTF_8));
                }
            }, Map.of(), "history", "decrypt", "--keys", keys.toString(), "--out", output.toString(),
                    "--batch-size", "1024").expectExit(0);
            assertTrue(r.stderr().contains("panolm: 30,000 events: 30,000 decrypted, 0 failed"), r.stderr());

            // Every line is its event, decrypted: the right body, in order.
            int line = 0;
            try (BufferedReader reader = Files.newBufferedReader(output)) {
                for (String text; (text = reader.readLine()) != null; line++) {
                    JsonNode e = JSON.readTree(text);
                    assertEquals("$big" + line, e.get("event_id").asText());
                    assertEquals("ok", e.at("/decryption/status").asText(), text.substring(0, 200));
                    assertEquals(line + " " + padding, e.at("/content/body").asText());
                }
            }
            assertEquals(events, line);
            assertTrue(Files.size(output) > 24L << 20, "the decrypted output alone is larger than the heap");
        }
    }

    /**
     * A backup body several times the heap restores: {@code backup restore} reads it as a stream and writes
     * each key as it is restored (about 40 MB of body, 42,000 keys, through a 40 MB heap).
     */
    @Test
    void aBackupLargerThanTheHeapRestores() throws Exception {
        int sessions = 500;
        java.util.List<org.panolm.keystore.RoomKeyRecord> records = new java.util.ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < sessions; i++) {
            try (MegolmOutboundSession out = MegolmOutboundSession.create();
                 MegolmInboundSession in = MegolmInboundSession.create(out.sessionKey())) {
                records.add(new org.panolm.keystore.RoomKeyRecord(new org.panolm.export.ExportedRoomKey(
                        "m.megolm.v1.aes-sha2", ROOM, "c2VuZGVyIGN1cnZlMjU1MTkga2V5IG9mIDMyIGJ5dGVz", in.sessionId(),
                        in.exportAt(0).toBase64(), Map.of("ed25519", "JGLn/yafz74HRzd0MXvLmPCa4ZRgB5+DuvOXiVxDK9c"),
                        List.of(), null), 0, org.panolm.megolm.KeyProvenance.UNKNOWN, 0));
                ids.add(in.sessionId());
            }
        }
        try (var key = org.panolm.backup.BackupDecryptionKey.generate()) {
            JsonNode room = JSON.readTree(key.publicKey().encrypt(records).toJson()).get("rooms").get(ROOM);
            byte[] roomBytes = JSON.writeValueAsBytes(room);
            int rooms = (int) ((40L << 20) / roomBytes.length) + 1;
            Path body = dir.resolve("backup.json");
            try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(body), 1 << 16)) {
                out.write("{\"rooms\":{".getBytes(StandardCharsets.UTF_8));
                for (int r = 0; r < rooms; r++) {
                    out.write(((r == 0 ? "" : ",") + "\"!room" + r + ":x\":").getBytes(StandardCharsets.UTF_8));
                    out.write(roomBytes);
                }
                out.write("}}".getBytes(StandardCharsets.UTF_8));
            }
            Path recovery = History.write(dir, "recovery-key", key.toRecoveryKey());
            Path output = dir.resolve("restored.json");
            Cli.Result r = Cli.run(List.of("-Xmx40m"), stdin -> { }, Map.of(), "backup", "restore",
                    "--backup", body.toString(), "--recovery-key-file", recovery.toString(), "--out", output.toString(),
                    "--out-json").expectExit(0);
            long n = (long) rooms * sessions;
            assertTrue(r.stderr().contains(String.format(java.util.Locale.ROOT, "panolm: restored %,d of %,d sessions", n, n)),
                    r.stderr());
            assertTrue(Files.size(body) > 40L << 20, "the body alone is larger than the heap");
            // The keys came out, each filed under its room; counted as a stream, so the test holds none of them.
            long seen = 0;
            try (var parser = JSON.getFactory().createParser(output.toFile())) {
                parser.nextToken();
                while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                    JsonNode k = JSON.readTree(parser);
                    assertTrue(ids.contains(k.get("session_id").asText()));
                    assertTrue(k.get("room_id").asText().startsWith("!room"));
                    seen++;
                }
            }
            assertEquals(n, seen);
        }
    }
}
