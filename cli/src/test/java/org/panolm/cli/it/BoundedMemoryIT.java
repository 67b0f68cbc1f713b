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
}
