package org.panolm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.engine.store.CryptoStore;
import org.panolm.engine.store.SqliteCryptoStore;
import org.panolm.engine.store.StoreKey;
import org.panolm.testsupport.Peers;

/**
 * The README's bot, written against the engine alone, kept compiling and passing here: it joins an encrypted room,
 * receives the room key another device (an engine here) shares, and decrypts the room's messages. Its HTTP client
 * is the router that plays the homeserver. Keep the README and this test in step.
 */
class EngineReadmeExampleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The bot's view of the homeserver: any HTTP client and any JSON library do. */
    interface Http {
        String send(String method, String path, String body);

        /** A {@code /sync} response body, JSON text. */
        String sync();

        /** The timeline events of one joined room in a sync response, each as JSON text. */
        List<String> timeline(String sync, String room);
    }

    @TempDir
    Path dir;

    @Test
    void aBotJoinsAnEncryptedRoomReceivesTheKeyAndDecrypts() throws Exception {
        List<String> received = botSession();
        assertEquals(1, received.size(), received.toString());
        String line = received.getFirst();
        assertTrue(line.startsWith("@alice:example.org (ALICE, SENDER_AUTHENTICATED): "), line);
        assertEquals("hello bot", JSON.readTree(line.substring(line.indexOf(": ") + 2)).at("/content/body").asText());
    }

    /**
     * No libolm code runs in the engine: after two devices have set up Olm sessions, shared a Megolm key over
     * them and decrypted with it, this JVM's memory map (the kernel's record of every mapped library) holds
     * libpanolm and no libolm. The engine's test classpath has no libolm bindings at all.
     */
    @Test
    void theEngineRunsWithoutLibolmLoaded() throws Exception {
        assertEquals(1, botSession().size());
        List<String> libraries = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .map(l -> l.split("\\s+", 6)).filter(f -> f.length == 6 && f[5].contains(".so"))
                .map(f -> f[5]).distinct().toList(); // the path; a deleted file (libpanolm's copy) ends " (deleted)"
        assertTrue(libraries.stream().anyMatch(l -> l.contains("libpanolm")), "libpanolm is mapped: " + libraries);
        assertTrue(libraries.stream().noneMatch(l -> l.contains("libolm")), "libolm is mapped: " + libraries);
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.panolm.libolm.LibolmLibrary"));
    }

    /** The README's bot and a second device that shares a key with it; returns what the bot decrypted. */
    private List<String> botSession() throws Exception {
        var router = new Router();
        String room = "!encrypted:example.org";
        List<JsonNode> timeline = new ArrayList<>();
        try (var aliceStore = SqliteCryptoStore.open(dir.resolve("alice.db"), StoreKey.of(new byte[32]));
             var alice = OlmMachine.open("@alice:example.org", "ALICE", aliceStore)) {
            var aliceDevice = new Router.EngineDevice(alice);
            router.add(aliceDevice);
            Router.Device botDevice = Router.named("@bot:example.org", "BOT");
            router.add(botDevice);
            router.settle(5); // alice's device keys are on the server before the bot starts
            Http http = new Http() {
                int syncs;

                @Override
                public String send(String method, String path, String body) {
                    if (path.startsWith("/_matrix/client/v3/join/")) return "{\"room_id\":\"" + room + "\"}";
                    return router.handle(botDevice, new Router.Request("bot", "", method, path, body));
                }

                @Override
                public String sync() {
                    // Alice acts between the bot's syncs: once the bot's keys are up, she shares and writes.
                    if (++syncs == 2) {
                        alice.updateTrackedUsers(List.of("@bot:example.org"));
                        alice.shareRoomKey(room, List.of("@alice:example.org", "@bot:example.org"),
                                EncryptionSettings.defaults());
                        router.settle(10);
                        String content = alice.encryptRoomEvent(room, "m.room.message",
                                "{\"msgtype\":\"m.text\",\"body\":\"hello bot\"}");
                        ObjectNode event = JSON.createObjectNode().put("type", "m.room.encrypted")
                                .put("event_id", "$1").put("sender", "@alice:example.org").put("room_id", room);
                        event.set("content", TestJson.tree(content));
                        timeline.add(event);
                    }
                    JsonNode sync = router.syncFor("@bot:example.org", "BOT", room, List.copyOf(timeline));
                    timeline.clear();
                    return sync.toString();
                }

                @Override
                public List<String> timeline(String sync, String room) {
                    List<String> events = new ArrayList<>();
                    TestJson.tree(sync).path("rooms").path("join").path(room).path("timeline").path("events")
                            .forEach(e -> events.add(e.toString()));
                    return events;
                }
            };
            Path storeFile = dir.resolve("bot.db");
            char[] passphrase = "a long bot passphrase".toCharArray();
            List<String> received = new ArrayList<>();

            // README-ENGINE-START
            try (CryptoStore store = SqliteCryptoStore.open(storeFile, StoreKey.passphrase(passphrase));
                 OlmMachine engine = OlmMachine.open("@bot:example.org", "BOT", store)) {
                http.send("POST", "/_matrix/client/v3/join/" + room, "{}");
                engine.updateTrackedUsers(List.of("@alice:example.org"));     // the room's members
                for (int i = 0; i < 4; i++) {                                   // the bot's sync loop
                    // 1. Send what the engine asks for (keys upload, query, claim, to-device); report each response.
                    for (OutgoingRequest request : engine.outgoingRequests()) {
                        String response = http.send(request.method(), request.path(), request.bodyJson());
                        engine.markRequestSent(request.id(), response);
                    }
                    // 2. Feed it the sync: room keys arrive as to-device events; device lists and key counts too.
                    String sync = http.sync();                                  // the response body, JSON text
                    engine.receiveSyncChanges(SyncChanges.fromSyncResponse(sync));
                    // 3. Decrypt the room's new events: plaintext, sender, device, trust, where the key came from.
                    for (String event : http.timeline(sync, room)) {
                        try {
                            DecryptedRoomEvent decrypted = engine.decryptRoomEvent(event, room);
                            received.add(decrypted.senderUserId() + " (" + decrypted.senderDeviceId() + ", "
                                    + decrypted.trust() + "): " + decrypted.plaintext());
                        } catch (UndecryptableEventException e) {
                            received.add("undecryptable: " + e.getMessage()); // e.withheld() says why, when known
                        }
                    }
                }
            }
            // README-ENGINE-END
            return received;
        }
    }

    @Test
    void readmeShowsThisExample() throws IOException {
        Path root = Peers.root();
        String source = Files.readString(root.resolve("engine/src/test/java/org/panolm/engine/EngineReadmeExampleTest.java"));
        String region = source.substring(source.indexOf("// README-ENGINE-START") + 22,
                source.indexOf("// README-ENGINE-END"));
        String readme = Files.readString(root.resolve("README.md")).replaceAll("\\s+", " ");
        for (String line : region.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            assertTrue(readme.contains(line.replaceAll("\\s+", " ")), "README.md lacks the engine example line: " + line);
        }
    }
}
