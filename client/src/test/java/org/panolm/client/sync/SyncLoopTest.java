package org.panolm.client.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.client.HomeserverClient;
import org.panolm.client.MatrixApiException;
import org.panolm.client.RetryPolicy;
import org.panolm.client.backup.BackupQueue;
import org.panolm.client.backup.BackupUploader;
import org.panolm.client.backup.SecureBackup;
import org.panolm.client.backup.SetupResult;
import org.panolm.client.backup.UnlockedSecrets;
import org.panolm.client.backup.UploadJournal;
import org.panolm.client.backup.UploadOutcome;
import org.panolm.client.device.OwnDevice;
import org.panolm.engine.DecryptedRoomEvent;
import org.panolm.engine.DoNotStore;
import org.panolm.engine.EncryptionSettings;
import org.panolm.engine.OlmMachine;
import org.panolm.engine.ToDeviceResult;
import org.panolm.engine.store.SqliteCryptoStore;
import org.panolm.engine.store.StoreKey;
import org.panolm.keystore.KeyStore;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;
import org.panolm.testkit.TestHomeserverExtension;
import org.panolm.testsupport.Peers;

/** The /sync loop against the in-process homeserver: two engines, a room, keys over Olm, the backup, restarts. */
class SyncLoopTest {
    @RegisterExtension
    static final TestHomeserverExtension SERVER = new TestHomeserverExtension();

    static final RetryPolicy QUICK = new RetryPolicy(5, Duration.ofMillis(20), Duration.ofSeconds(1));
    static final char[] PASSWORD = "account password".toCharArray();
    private static int users;

    @TempDir
    Path dir;

    /** Every request the loop sent passed the spec's schemas. */
    @AfterEach
    void noRequestWasRejectedBySpec() {
        assertEquals(List.of(), SERVER.server().rejectedRequests());
    }

    /** One device: its client, store and engine. */
    record Device(HomeserverClient client, SqliteCryptoStore store, OlmMachine engine, Path file)
            implements AutoCloseable {
        static Device register(Path dir) {
            HomeserverClient c = HomeserverClient.builder(SERVER.server().baseUrl()).retryPolicy(QUICK).build();
            var creds = c.register("sync" + (++users), PASSWORD, "device");
            Path file = dir.resolve(creds.deviceId() + ".db");
            return open(c, file);
        }

        static Device open(HomeserverClient c, Path file) {
            var creds = c.requireCredentials();
            SqliteCryptoStore store = SqliteCryptoStore.open(file, StoreKey.of(new byte[32]));
            return new Device(c, store, OlmMachine.open(creds.userId(), creds.deviceId(), store), file);
        }

        String userId() {
            return engine.userId();
        }

        SyncLoop loop() {
            return new SyncLoop(client, engine, Duration.ofSeconds(5), null);
        }

        /** Closes the engine and the store, keeping the login. */
        Device reopen() {
            engine.close();
            store.close();
            return open(client, file);
        }

        @Override
        public void close() {
            engine.close();
            store.close();
            client.close();
        }
    }

    /** Alice makes a room, invites Bob, Bob joins. */
    private static String room(Device alice, Device bob) {
        ObjectNode create = Peers.JSON.createObjectNode().put("preset", "private_chat");
        create.putArray("initial_state").addObject().put("type", "m.room.encryption").put("state_key", "")
                .putObject("content").put("algorithm", "m.megolm.v1.aes-sha2");
        String room = alice.client().post("/_matrix/client/v3/createRoom", create, JsonNode.class)
                .get("room_id").asText();
        alice.client().post("/_matrix/client/v3/rooms/" + HomeserverClient.segment(room) + "/invite",
                Peers.JSON.createObjectNode().put("user_id", bob.userId()), JsonNode.class);
        bob.client().post("/_matrix/client/v3/join/" + HomeserverClient.segment(room),
                Peers.JSON.createObjectNode(), JsonNode.class);
        return room;
    }

    /** Alice shares her room key with everyone in the room and sends one encrypted message. */
    private static void aliceWrites(Device alice, SyncLoop aliceLoop, String room, Device bob, String text) {
        alice.engine().shareRoomKey(room, List.of(alice.userId(), bob.userId()), EncryptionSettings.defaults());
        aliceLoop.syncOnce(); // query, claim, the m.room_key over Olm
        String content = alice.engine().encryptRoomEvent(room, "m.room.message",
                Peers.JSON.createObjectNode().put("msgtype", "m.text").put("body", text).toString());
        alice.client().put("/_matrix/client/v3/rooms/" + HomeserverClient.segment(room) + "/send/m.room.encrypted/"
                + "t" + System.nanoTime(), content, JsonNode.class);
    }

    private static List<String> decrypted(Device d, SyncRound round, String room) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : parse(d, round.response()).path("rooms").path("join").path(room).path("timeline").path("events")) {
            if (!"m.room.encrypted".equals(e.path("type").asText())) continue;
            DecryptedRoomEvent ev = d.engine().decryptRoomEvent(e.toString(), room);
            out.add(parse(d, ev.plaintext()).at("/content/body").asText());
        }
        return out;
    }

    private static JsonNode parse(Device d, String json) {
        try {
            return Peers.JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theLoopUploadsKeysTracksMembersReceivesARoomKeyAndDecrypts() {
        try (Device alice = Device.register(dir); Device bob = Device.register(dir)) {
            String room = room(alice, bob);
            SyncLoop aliceLoop = alice.loop();
            List<RoomKeyRecord> arrived = new ArrayList<>();
            SyncLoop bobLoop = bob.loop().onRoomKeys(arrived::addAll);

            SyncRound first = bobLoop.syncOnce();
            assertNull(first.since(), "the first sync of a store is an initial sync");
            assertTrue(first.requestsSent() >= 1, "the device keys and one-time keys went up first");
            aliceLoop.syncOnce();
            // Bob's one-time keys are on the server: the count the server reports is what the engine uploaded.
            JsonNode counts = bob.client().post("/_matrix/client/v3/keys/upload",
                    Peers.JSON.createObjectNode(), JsonNode.class).path("one_time_key_counts");
            assertTrue(counts.path("signed_curve25519").asInt() > 0, counts.toString());

            aliceWrites(alice, aliceLoop, room, bob, "hello over the loop");
            SyncRound round = bobLoop.syncOnce();
            assertEquals(first.nextBatch(), round.since(), "each round goes on from the stored token");
            assertTrue(round.toDevice().stream().anyMatch(r -> r instanceof ToDeviceResult.Decrypted d
                    && "m.room_key".equals(parse(bob, d.event()).path("type").asText())), round.toDevice().toString());
            assertEquals(1, round.newRoomKeys().size());
            assertEquals(room, round.newRoomKeys().getFirst().roomId());
            assertEquals(round.newRoomKeys(), arrived, "the listener got the same keys");
            assertEquals(List.of("hello over the loop"), decrypted(bob, round, room));
            assertEquals(List.of(), round.requestFailures());
        }
    }

    @Test
    void aRestartResumesFromTheStoredTokenAndLosesNoToDeviceMessage() {
        try (Device alice = Device.register(dir)) {
            Device bob = Device.register(dir);
            try {
                String room = room(alice, bob);
                SyncLoop aliceLoop = alice.loop();
                SyncRound before = bob.loop().syncOnce();
                aliceLoop.syncOnce();
                // Bob's process stops; alice shares a key while it is down.
                bob = bob.reopen();
                assertEquals(before.nextBatch(), bob.engine().syncToken().orElseThrow(), "the token survived");
                aliceWrites(alice, aliceLoop, room, bob, "while you were away");
                SyncRound after = bob.loop().syncOnce();
                assertEquals(before.nextBatch(), after.since(), "resumed, not an initial sync");
                assertEquals(1, after.newRoomKeys().size(), "the room key sent while it was down arrived");
                assertEquals(List.of("while you were away"), decrypted(bob, after, room));
                // The next round does not take the to-device message in again.
                assertEquals(List.of(), bob.loop().syncOnce().toDevice());
            } finally {
                bob.close();
            }
        }
    }

    @Test
    void runLongPollsUntilStoppedAndStopsAtOnce() throws Exception {
        try (Device bob = Device.register(dir)) {
            SyncLoop loop = new SyncLoop(bob.client(), bob.engine(), Duration.ofSeconds(30), null);
            List<SyncRound> rounds = java.util.Collections.synchronizedList(new ArrayList<>());
            loop.onRound(rounds::add);
            CompletableFuture<Void> running = CompletableFuture.runAsync(loop::run);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (rounds.size() < 1 && System.nanoTime() < deadline) Thread.sleep(20);
            assertFalse(rounds.isEmpty(), "the first round (an initial sync) came back");
            Thread.sleep(300); // now in a 30-second long poll
            long stopAt = System.nanoTime();
            loop.stop();
            running.get(10, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - stopAt < TimeUnit.SECONDS.toNanos(5), "stop does not wait for the poll");
        }
    }

    @Test
    void aDeletedDeviceEndsTheLoopWithTheServersError() {
        try (Device bob = Device.register(dir)) {
            SyncLoop loop = bob.loop();
            loop.syncOnce();
            // The device is deleted elsewhere (another client with its token logs it out).
            try (HomeserverClient other = HomeserverClient.builder(SERVER.server().baseUrl())
                    .credentials(bob.client().requireCredentials()).build()) {
                other.logout();
            }
            MatrixApiException e = assertThrows(MatrixApiException.class, loop::run);
            assertEquals(401, e.status());
        }
    }

    @Test
    void aRoomWhoseEncryptionStateAsksForDoNotStoreKeepsItsKeysOutOfTheBackup() {
        try (Device alice = Device.register(dir); Device bob = Device.register(dir)) {
            ObjectNode create = Peers.JSON.createObjectNode().put("preset", "private_chat");
            create.putArray("initial_state").addObject().put("type", "m.room.encryption").put("state_key", "")
                    .putObject("content").put("algorithm", "m.megolm.v1.aes-sha2").put(DoNotStore.FIELD, true);
            String room = alice.client().post("/_matrix/client/v3/createRoom", create, JsonNode.class)
                    .get("room_id").asText();
            alice.client().post("/_matrix/client/v3/rooms/" + HomeserverClient.segment(room) + "/invite",
                    Peers.JSON.createObjectNode().put("user_id", bob.userId()), JsonNode.class);
            bob.client().post("/_matrix/client/v3/join/" + HomeserverClient.segment(room),
                    Peers.JSON.createObjectNode(), JsonNode.class);
            OwnDevice bobDevice = new OwnDevice(bob.userId(), bob.engine().deviceId(),
                    bob.engine().identityKeys().curve25519Base64(), bob.engine().identityKeys().ed25519Base64(),
                    bob.engine()::signJson);
            SecureBackup backup = new SecureBackup(bob.client(), bobDevice);
            SyncLoop bobLoop = bob.loop();
            bobLoop.syncOnce();
            SetupResult setup = backup.setUpWithSecurityKey(PASSWORD);
            try (UnlockedSecrets secrets = setup.secrets(); KeyStore keys = KeyStore.inMemory()) {
                BackupQueue queue = new BackupQueue(keys, new BackupUploader(bob.client(), keys,
                        UploadJournal.none(), 100, SessionFilter.all()), backup, secrets);
                bobLoop.onRoomKeys(queue);
                SyncLoop aliceLoop = alice.loop();
                aliceLoop.syncOnce(); // alice's engine reads the room's flag from its state
                // Plain settings: the room's flag in alice's store is what marks the session she shares.
                aliceWrites(alice, aliceLoop, room, bob, "do not keep me");
                SyncRound round = bobLoop.syncOnce();
                assertEquals(List.of("do not keep me"), decrypted(bob, round, room), "readable all the same");
                JsonNode event = null;
                for (JsonNode e : parse(bob, round.response()).path("rooms").path("join").path(room).path("timeline").path("events")) {
                    if ("m.room.encrypted".equals(e.path("type").asText())) event = e;
                }
                assertNotNull(event);
                assertTrue(bob.engine().decryptRoomEvent(event.toString(), room).doNotStore());
                assertTrue(alice.engine().doNotStore(room, event.path("content").path("session_id").asText()));
                assertEquals(List.of(), round.newRoomKeys(), "a do-not-store key is announced to no listener");
                assertEquals(0, keys.size(), "so it is queued for no backup");
                assertEquals(0L, backup.currentVersion().orElseThrow().count());
                assertEquals(List.of(), bob.store().transaction(tx -> tx.notBackedUp(setup.version().version(), 0, 10)));
            }
        }
    }

    @Test
    void newRoomKeysAreBackedUpAsTheyArrive() {
        try (Device alice = Device.register(dir); Device bob = Device.register(dir)) {
            String room = room(alice, bob);
            OwnDevice bobDevice = new OwnDevice(bob.userId(), bob.engine().deviceId(),
                    bob.engine().identityKeys().curve25519Base64(), bob.engine().identityKeys().ed25519Base64(),
                    bob.engine()::signJson);
            SecureBackup backup = new SecureBackup(bob.client(), bobDevice);
            SyncLoop bobLoop = bob.loop();
            bobLoop.syncOnce(); // the engine uploads the device keys first
            SetupResult setup = backup.setUpWithSecurityKey(PASSWORD);
            try (UnlockedSecrets secrets = setup.secrets(); KeyStore keys = KeyStore.inMemory()) {
                assertTrue(backup.trust(setup.version(), secrets).trusted());
                BackupQueue queue = new BackupQueue(keys, new BackupUploader(bob.client(), keys,
                        UploadJournal.none(), 100, SessionFilter.all()), backup, secrets);
                bobLoop.onRoomKeys(queue);
                SyncLoop aliceLoop = alice.loop();
                aliceLoop.syncOnce();
                aliceWrites(alice, aliceLoop, room, bob, "back me up");
                SyncRound round = bobLoop.syncOnce();
                assertEquals(1, round.newRoomKeys().size());
                UploadOutcome outcome = queue.lastOutcome().orElseThrow();
                assertEquals(UploadOutcome.State.UP_TO_DATE, outcome.state());
                assertEquals(1, outcome.sessionsUploaded());
                assertEquals(1L, backup.currentVersion().orElseThrow().count());
                String session = round.newRoomKeys().getFirst().sessionId();
                JsonNode stored = bob.client().get("/_matrix/client/v3/room_keys/keys/" + HomeserverClient.segment(room)
                        + "/" + HomeserverClient.segment(session) + "?version=" + setup.version().version(),
                        JsonNode.class);
                assertNotNull(stored.get("session_data"), stored.toString());
            }
        }
    }

    @Test
    void aRefusedRequestIsReportedAndStaysQueuedForTheNextRound() {
        try (Device bob = Device.register(dir)) {
            // Five 503s: every attempt of the client's retry policy fails.
            SERVER.server().faults().on("POST", ".*/keys/upload").times(QUICK.maxAttempts()).fail(503);
            try {
                SyncRound refused = bob.loop().syncOnce();
                assertEquals(1, refused.requestFailures().size(), refused.requestFailures().toString());
                RequestFailure f = refused.requestFailures().getFirst();
                assertEquals(org.panolm.engine.RequestType.KEYS_UPLOAD, f.type());
                assertEquals(503, f.status());
                assertTrue(bob.engine().outgoingRequests().stream().anyMatch(r -> r.id().equals(f.requestId())),
                        "the refused upload is still queued");
            } finally {
                SERVER.server().faults().clear();
            }
            SyncRound next = bob.loop().syncOnce();
            assertEquals(List.of(), next.requestFailures());
            assertTrue(next.requestsSent() >= 1, "the upload went through on the next round");
            JsonNode keys = bob.client().post("/_matrix/client/v3/keys/query", Peers.JSON.createObjectNode()
                    .set("device_keys", Peers.JSON.createObjectNode().set(bob.userId(),
                            Peers.JSON.createArrayNode())), JsonNode.class);
            assertTrue(keys.path("device_keys").path(bob.userId()).has(bob.engine().deviceId()), keys.toString());
        }
    }
}
