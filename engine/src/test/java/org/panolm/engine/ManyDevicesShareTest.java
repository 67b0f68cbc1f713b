package org.panolm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.encoding.MatrixBase64;
import org.panolm.engine.store.SqliteCryptoStore;
import org.panolm.engine.store.StoreKey;
import org.panolm.internal.json.SignedTree;
import org.panolm.json.JsonSigning;
import org.panolm.olm.Account;
import org.panolm.olm.Curve25519PublicKey;
import org.panolm.olm.InboundSession;
import org.panolm.olm.OlmMessage;
import org.panolm.olm.OneTimeKey;

/**
 * A room key shared with 500 devices (500 users, each with its own Olm account): the engine queries them, claims
 * 500 one-time keys, and encrypts the m.room_key for all of them in one batch call; every device decrypts its
 * message with a new inbound session and finds the right payload (recipient, recipient_keys, room key).
 */
class ManyDevicesShareTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEVICES = 500;

    @TempDir
    Path dir;

    @Test
    void aRoomKeyReachesFiveHundredDevicesInOneBatch() throws Exception {
        var router = new Router();
        List<Account> accounts = new ArrayList<>();
        List<String> users = new ArrayList<>();
        try (var store = SqliteCryptoStore.open(dir.resolve("alice.db"), StoreKey.of(new byte[32]));
             var alice = OlmMachine.open("@alice:example.org", "ALICE", store)) {
            router.add(new Router.EngineDevice(alice));
            for (int i = 0; i < DEVICES; i++) {
                String user = "@u" + i + ":example.org";
                Account account = Account.create();
                accounts.add(account);
                users.add(user);
                account.generateOneTimeKeys(1);
                ObjectNode keys = JSON.createObjectNode().put("user_id", user).put("device_id", "D");
                keys.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2").add("m.megolm.v1.aes-sha2");
                keys.putObject("keys").put("curve25519:D", account.identityKeys().curve25519Base64())
                        .put("ed25519:D", account.identityKeys().ed25519Base64());
                OneTimeKey otk = account.oneTimeKeys().getFirst();
                ObjectNode key = JSON.createObjectNode().put("key", otk.publicKeyBase64());
                router.register(user, "D", sign(account, user, keys), "signed_curve25519:" + otk.keyId(),
                        sign(account, user, key));
                account.markKeysAsPublished();
            }
            router.settle(5);
            long started = System.nanoTime();
            alice.shareRoomKey("!big:example.org", users, EncryptionSettings.defaults());
            router.settle(10);
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.println("room key shared with " + DEVICES + " devices (query, claim, batch encryption, store) in "
                    + millis + " ms");

            Curve25519PublicKey aliceCurve = alice.identityKeys().curve25519();
            for (int i = 0; i < DEVICES; i++) {
                List<JsonNode> inbox = router.takeInbox(users.get(i), "D");
                assertEquals(1, inbox.size(), users.get(i));
                JsonNode cipher = inbox.getFirst().at("/content/ciphertext")
                        .get(accounts.get(i).identityKeys().curve25519Base64());
                OlmMessage message = OlmMessage.fromBase64(cipher.get("type").asLong(), cipher.get("body").asText());
                try (InboundSession in = accounts.get(i).createInboundSession(aliceCurve, message)) {
                    JsonNode payload = JSON.readTree(new String(in.plaintext(), StandardCharsets.UTF_8));
                    assertEquals("m.room_key", payload.get("type").asText());
                    assertEquals(users.get(i), payload.get("recipient").asText());
                    assertEquals(accounts.get(i).identityKeys().ed25519Base64(), payload.at("/recipient_keys/ed25519").asText());
                    assertEquals("!big:example.org", payload.at("/content/room_id").asText());
                }
            }
            // With every Olm session in place, a second room's key: the steady state (batch encryption and store).
            long again = System.nanoTime();
            alice.shareRoomKey("!big2:example.org", users, EncryptionSettings.defaults());
            long shareMillis = (System.nanoTime() - again) / 1_000_000;
            System.out.println("second room key shared with " + DEVICES + " devices with sessions in " + shareMillis + " ms");
            router.settle(10);
            for (int i = 0; i < DEVICES; i += 97) {
                assertEquals(1, router.takeInbox(users.get(i), "D").size(), users.get(i));
            }
        } finally {
            for (Account a : accounts) a.close();
        }
    }

    private static ObjectNode sign(Account account, String user, ObjectNode object) {
        String signature = MatrixBase64.encode(account.sign(SignedTree.signedBytes(object)));
        object.putObject("signatures").putObject(user).put("ed25519:D", signature);
        return object;
    }
}
