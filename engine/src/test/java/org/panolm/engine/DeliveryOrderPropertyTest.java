package org.panolm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.engine.store.SqliteCryptoStore;
import org.panolm.engine.store.StoreKey;

/**
 * Two engines share room keys back and forth for many rooms while the router delivers each sync's to-device
 * events shuffled and some of them twice: every room message still decrypts on the other side (no key lost, no
 * session wedged), whatever the order. Seeds are fixed per repetition, so a failure replays.
 */
class DeliveryOrderPropertyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    private OlmMachine machine(String user, String device, String run) {
        var store = SqliteCryptoStore.open(dir.resolve(run + device + ".db"), StoreKey.of(new byte[32]));
        open.add(store);
        var m = OlmMachine.open(user, device, store);
        open.add(m);
        return m;
    }

    @RepeatedTest(4)
    void everyMessageDecryptsWhateverTheDeliveryOrder(RepetitionInfo info) throws Exception {
        Random random = new Random(1000 + info.getCurrentRepetition());
        String run = "run" + info.getCurrentRepetition();
        OlmMachine alice = machine("@alice:example.org", "ALICE", run);
        OlmMachine bob = machine("@bob:example.org", "BOB", run);
        var router = new Router();
        router.add(new Router.EngineDevice(alice));
        router.add(new Router.EngineDevice(bob));
        alice.updateTrackedUsers(List.of("@bob:example.org"));
        bob.updateTrackedUsers(List.of("@alice:example.org"));
        router.settle(5);
        router.chaos = random;

        record Sent(OlmMachine to, String sender, String room, String content, String body) {}
        List<Sent> sent = new ArrayList<>();
        List<String> members = List.of("@alice:example.org", "@bob:example.org");
        for (int i = 0; i < 12; i++) {
            boolean fromAlice = random.nextBoolean();
            OlmMachine from = fromAlice ? alice : bob;
            String room = "!room" + random.nextInt(4) + ":example.org";
            // A small rotation period: sessions rotate while keys for older ones are still in flight.
            from.shareRoomKey(room, members, new EncryptionSettings(604_800_000L, 2, false, java.util.Set.of()));
            if (random.nextBoolean()) router.round(); // sometimes the next share starts before this one lands
            String body = "message " + i;
            String content = from.encryptRoomEvent(room, "m.room.message",
                    JSON.createObjectNode().put("msgtype", "m.text").put("body", body).toString());
            sent.add(new Sent(fromAlice ? bob : alice, from.userId(), room, content, body));
        }
        router.settle(30);
        int n = 0;
        for (Sent s : sent) {
            ObjectNode event = JSON.createObjectNode();
            event.put("type", "m.room.encrypted").put("event_id", "$" + n++).put("sender", s.sender());
            event.set("content", TestJson.tree(s.content()));
            JsonNode plaintext = JSON.readTree(s.to().decryptRoomEvent(event.toString(), s.room()).plaintext());
            assertEquals(s.body(), plaintext.at("/content/body").asText());
        }
    }
}
