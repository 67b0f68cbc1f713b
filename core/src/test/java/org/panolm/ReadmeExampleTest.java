package org.panolm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.panolm.megolm.BatchResults;
import org.panolm.megolm.BulkDecryptor;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.MegolmOutboundSession;
import org.panolm.megolm.PreparedBatch;
import org.panolm.testsupport.Peers;

/** The example of README.md, kept compiling and passing here. Keep the two in step. */
class ReadmeExampleTest {
    @Test
    void example() {
        // README-EXAMPLE-START
        String room = "!room:example.org";
        try (MegolmOutboundSession outbound = MegolmOutboundSession.create();
             // The session key reaches each recipient device over Olm, in an m.room_key event.
             MegolmInboundSession inbound = MegolmInboundSession.create(outbound.sessionKey(), room)) {

            String ciphertext = outbound.encrypt("""
                {"type":"m.room.message","content":{"msgtype":"m.text","body":"hello"},"room_id":"%s"}"""
                    .formatted(room));
            String event = """
                {"type":"m.room.encrypted","event_id":"$ev1","room_id":"%s","sender":"@alice:example.org",
                 "content":{"algorithm":"m.megolm.v1.aes-sha2","session_id":"%s","ciphertext":"%s"}}"""
                    .formatted(room, outbound.sessionId(), ciphertext);

            // A room history is decrypted in batches: one native call per batch, on every core.
            Map<String, MegolmInboundSession> sessions = Map.of(inbound.sessionId(), inbound);
            try (PreparedBatch batch = PreparedBatch.create(1)) {
                batch.addEvent(event, sessions::get);
                BatchResults results = new BulkDecryptor().decrypt(batch);
                Status status = results.status(0);                 // OK, or why not: BAD_MAC, REPLAYED_INDEX, ...
                String plaintext = results.plaintextString(0);     // the decrypted event JSON
                // README-EXAMPLE-END
                assertEquals(Status.OK, status);
                assertEquals("{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"hello\"},"
                        + "\"room_id\":\"!room:example.org\"}", plaintext);
            }
        }
    }

    @Test
    void readmeShowsThisExample() throws IOException {
        String source = Files.readString(Peers.root().resolve("core/src/test/java/org/panolm/ReadmeExampleTest.java"));
        String region = source.substring(source.indexOf("// README-EXAMPLE-START") + 24,
                source.indexOf("// README-EXAMPLE-END"));
        String readme = Files.readString(Peers.root().resolve("README.md"));
        String normalisedReadme = normalise(readme);
        for (String line : region.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            assertTrue(normalisedReadme.contains(line), "README.md lacks the example line: " + line);
        }
    }

    @Test
    void ciRunsTheReadmeTestCommand() throws IOException {
        String readme = Files.readString(Peers.root().resolve("README.md"));
        String testLine = readme.lines().filter(l -> l.contains("./scripts/test")).findFirst().orElseThrow();
        String command = testLine.substring(0, testLine.indexOf('#')).strip();
        String ci = Files.readString(Peers.root().resolve(".ci/run"));
        assertTrue(ci.lines().map(String::strip).anyMatch(command::equals),
                ".ci/run must run the README's test command, word for word: " + command);
    }

    private static String normalise(String text) {
        return text.lines().map(String::strip).collect(Collectors.joining("\n"));
    }
}
