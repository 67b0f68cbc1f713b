package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.client.HomeserverClient;
import org.panolm.client.RetryPolicy;
import org.panolm.client.sync.SyncLoop;
import org.panolm.engine.EncryptionSettings;
import org.panolm.engine.OlmMachine;
import org.panolm.engine.store.SqliteCryptoStore;
import org.panolm.engine.store.StoreKey;
import org.panolm.testkit.TestHomeserverExtension;
import org.panolm.testsupport.Peers;

/**
 * The online commands against the in-process test homeserver: {@code login}, {@code sync}, {@code backup setup |
 * status | restore} and {@code logout}, with another device (an engine in this test) sending room keys.
 */
class OnlineIT {
    @RegisterExtension
    static final TestHomeserverExtension SERVER = new TestHomeserverExtension();

    private static final RetryPolicy QUICK = new RetryPolicy(5, Duration.ofMillis(20), Duration.ofSeconds(1));
    private static final String PASSWORD = "bob's account password";
    private static final String STORE_PASSPHRASE = "bob's store passphrase";
    private static int users;

    @TempDir
    Path dir;

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("PANOLM_STORE_PASSPHRASE", STORE_PASSPHRASE);
        env.put("XDG_DATA_HOME", dir.resolve("xdg").toString()); // never the real home directory
        return env;
    }

    private Path passwordFile() throws Exception {
        Path f = dir.resolve("password");
        if (!Files.exists(f)) Files.writeString(f, PASSWORD + "\n");
        return f;
    }

    private static Cli.Result panolm(Map<String, String> env, String... args) {
        return Cli.run(null, env, args);
    }

    /** The other side: a device run by the engine in this test. */
    private record Peer(HomeserverClient client, SqliteCryptoStore store, OlmMachine engine, SyncLoop loop)
            implements AutoCloseable {
        static Peer register(Path dir) {
            HomeserverClient c = HomeserverClient.builder(SERVER.server().baseUrl()).retryPolicy(QUICK).build();
            var creds = c.register("peer" + (++users), "peer password".toCharArray(), "peer");
            SqliteCryptoStore store = SqliteCryptoStore.open(dir.resolve("peer-" + users + ".db"), StoreKey.of(new byte[32]));
            OlmMachine engine = OlmMachine.open(creds.userId(), creds.deviceId(), store);
            return new Peer(c, store, engine, new SyncLoop(c, engine, Duration.ZERO, null));
        }

        String userId() {
            return engine.userId();
        }

        /** Shares the room key with {@code members} and sends one encrypted message. */
        void write(String room, List<String> members, String text) {
            loop.syncOnce();
            engine.shareRoomKey(room, members, EncryptionSettings.defaults());
            loop.syncOnce();
            String content = engine.encryptRoomEvent(room, "m.room.message",
                    Peers.JSON.createObjectNode().put("msgtype", "m.text").put("body", text).toString());
            client.put("/_matrix/client/v3/rooms/" + HomeserverClient.segment(room) + "/send/m.room.encrypted/t"
                    + System.nanoTime(), content, JsonNode.class);
        }

        /**
         * Shares a new room key with the devices already known (no sync first: a device added since is not among
         * them) and sends one message.
         */
        void writeToKnownDevices(String room, List<String> members, String text) {
            engine.shareRoomKey(room, members, EncryptionSettings.defaults());
            loop.syncOnce();
            String content = engine.encryptRoomEvent(room, "m.room.message",
                    Peers.JSON.createObjectNode().put("msgtype", "m.text").put("body", text).toString());
            client.put("/_matrix/client/v3/rooms/" + HomeserverClient.segment(room) + "/send/m.room.encrypted/t"
                    + System.nanoTime(), content, JsonNode.class);
        }

        @Override
        public void close() {
            engine.close();
            store.close();
            client.close();
        }
    }

    /** Registers bob (whose devices the CLI runs) and returns a client of a helper device that joins rooms. */
    private static HomeserverClient registerBob(String localpart) {
        HomeserverClient c = HomeserverClient.builder(SERVER.server().baseUrl()).retryPolicy(QUICK).build();
        c.register(localpart, PASSWORD.toCharArray(), "bob's phone");
        return c;
    }

    private static String roomWith(Peer alice, HomeserverClient bob) {
        ObjectNode create = Peers.JSON.createObjectNode().put("preset", "private_chat");
        String room = alice.client().post("/_matrix/client/v3/createRoom", create, JsonNode.class).get("room_id").asText();
        alice.client().post("/_matrix/client/v3/rooms/" + HomeserverClient.segment(room) + "/invite",
                Peers.JSON.createObjectNode().put("user_id", bob.requireCredentials().userId()), JsonNode.class);
        bob.post("/_matrix/client/v3/join/" + HomeserverClient.segment(room), Peers.JSON.createObjectNode(), JsonNode.class);
        return room;
    }

    private static List<String> deviceIds(HomeserverClient bob) {
        List<String> ids = new ArrayList<>();
        bob.get("/_matrix/client/v3/devices", JsonNode.class).path("devices").forEach(d -> ids.add(d.path("device_id").asText()));
        return ids;
    }

    private static String line(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("(no line " + prefix + ") in:\n" + text);
    }

    @Test
    void loginSyncBackUpRestoreOnANewDeviceAndLogOut() throws Exception {
        String base = SERVER.server().baseUrl().toString();
        try (HomeserverClient phone = registerBob("bob" + (++users)); Peer alice = Peer.register(dir)) {
            String bob = phone.requireCredentials().userId();
            Map<String, String> env = env();
            Path laptop = dir.resolve("laptop");

            Cli.Result login = panolm(env, "login", "--homeserver", base, "--user", bob, "--password-file",
                    passwordFile().toString(), "--store", laptop.toString(), "--device-name", "laptop").expectExit(0);
            assertTrue(login.stdout().startsWith("logged in as " + bob + ", device "), login.stdout());
            String laptopDevice = login.stdout().lines().findFirst().orElseThrow().replaceAll(".*device ", "");
            assertTrue(deviceIds(phone).contains(laptopDevice), "the device exists on the server");
            String session = Files.readString(laptop.resolve("session.json"));
            assertTrue(session.contains(laptopDevice) && !session.contains("token"), "session.json holds no token: " + session);
            assertEquals(java.util.Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE), Files.getPosixFilePermissions(laptop));
            // The device's keys went up at login: the peer can find them.
            JsonNode keys = alice.client().post("/_matrix/client/v3/keys/query", Peers.JSON.readTree(
                    "{\"device_keys\":{\"" + bob + "\":[]}}"), JsonNode.class);
            assertTrue(keys.path("device_keys").path(bob).has(laptopDevice), keys.toString());

            // Secure Backup with a new Security Key, written to a file.
            Path keyFile = dir.resolve("security-key.txt");
            Cli.Result setup = panolm(env, "backup", "setup", "--store", laptop.toString(), "--password-file",
                    passwordFile().toString(), "--recovery-key-out", keyFile.toString()).expectExit(0);
            String securityKey = Files.readString(keyFile).strip();
            assertEquals(48, securityKey.replace(" ", "").length(), "a Security Key: " + securityKey.length());
            assertFalse(setup.stdout().contains(securityKey) || setup.stderr().contains(securityKey));
            Cli.Result status = panolm(env, "backup", "status", "--store", laptop.toString()).expectExit(0);
            assertTrue(line(status.stdout(), "trusted: ").startsWith("trusted: yes"), status.stdout());
            assertEquals("keys on server: 0", line(status.stdout(), "keys on server: "));
            assertEquals("backup key on this device: yes", line(status.stdout(), "backup key on this device: "));

            // Alice shares a room key with bob's devices; one sync takes it in and backs it up.
            String room = roomWith(alice, phone);
            alice.write(room, List.of(alice.userId(), bob), "hello laptop");
            Cli.Result sync = panolm(env, "sync", "--once", "--store", laptop.toString()).expectExit(0);
            assertTrue(sync.stdout().contains(", 1 new room keys, "), sync.stdout());
            assertTrue(sync.stderr().contains("1 new room keys (backed up to version "), sync.stderr());
            status = panolm(env, "backup", "status", "--store", laptop.toString()).expectExit(0);
            assertEquals("keys on server: 1", line(status.stdout(), "keys on server: "));
            assertEquals("room keys in the store: 1", line(status.stdout(), "room keys in the store: "));
            assertEquals("room keys not backed up yet: 0", line(status.stdout(), "room keys not backed up yet: "));
            // Nothing new: the next round resumes from the stored token and takes nothing in twice.
            sync = panolm(env, "sync", "--once", "--store", laptop.toString()).expectExit(0);
            assertTrue(sync.stdout().contains(": 0 to-device events, 0 new room keys"), sync.stdout());

            // A new device (in the default directory under $XDG_DATA_HOME) restores the backup with the Security Key.
            login = panolm(env, "login", "--homeserver", base, "--user", bob, "--password-file",
                    passwordFile().toString()).expectExit(0);
            Path desktop = dir.resolve("xdg").resolve("panolm").resolve(bob);
            assertTrue(login.stdout().contains("store: " + desktop), login.stdout());
            Map<String, String> withKey = new HashMap<>(env);
            withKey.put("PANOLM_RECOVERY_KEY", securityKey);
            Cli.Result restore = panolm(withKey, "backup", "restore").expectExit(0);
            assertTrue(restore.stderr().contains("restored 1 of 1 sessions from backup version "), restore.stderr());
            assertTrue(restore.stderr().contains("(trusted)"), restore.stderr());
            assertTrue(restore.stderr().contains("this device is now verified"), restore.stderr());
            assertFalse(restore.stderr().contains(securityKey));
            status = panolm(env, "backup", "status").expectExit(0);
            assertEquals("room keys in the store: 1", line(status.stdout(), "room keys in the store: "));
            assertEquals("room keys not backed up yet: 0", line(status.stdout(), "room keys not backed up yet: "),
                    "restored keys are not uploaded again");

            // The laptop logs out: its device is gone from the server and its store from the disk.
            Cli.Result logout = panolm(env, "logout", "--store", laptop.toString()).expectExit(0);
            assertTrue(logout.stdout().contains("logged out " + bob + " " + laptopDevice), logout.stdout());
            assertFalse(deviceIds(phone).contains(laptopDevice));
            assertFalse(Files.exists(laptop));
            // The other device goes on.
            panolm(env, "sync", "--once").expectExit(0);
        }
    }

    @Test
    void syncRunsUntilInterruptedThenResumes() throws Exception {
        String base = SERVER.server().baseUrl().toString();
        try (HomeserverClient phone = registerBob("bobrun" + (++users)); Peer alice = Peer.register(dir)) {
            String bob = phone.requireCredentials().userId();
            Map<String, String> env = env();
            Path store = dir.resolve("run");
            panolm(env, "login", "--homeserver", base, "--user", bob, "--password-file", passwordFile().toString(),
                    "--store", store.toString()).expectExit(0);
            ProcessBuilder pb = new ProcessBuilder(Cli.command("sync", "--store", store.toString(), "--timeout", "5"));
            pb.environment().putAll(env);
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            assertTrue(err.readLine().startsWith("panolm: syncing " + bob), "it announces the loop");
            // While it runs, alice shares a key: the running loop takes it in.
            String room = roomWith(alice, phone);
            alice.write(room, List.of(alice.userId(), bob), "while running");
            String l;
            boolean got = false;
            while ((l = err.readLine()) != null) {
                if (l.contains("1 new room keys")) {
                    got = true;
                    break;
                }
            }
            assertTrue(got, "the running loop received the room key");
            p.toHandle().destroy(); // SIGTERM (keeping our end of its pipes open): the loop stops, the store closes
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "sync stops on SIGTERM");
            StringBuilder rest = new StringBuilder();
            while ((l = err.readLine()) != null) rest.append(l).append('\n');
            assertTrue(rest.toString().contains("panolm: stopped; 1 room keys received"),
                    "the loop stopped and the command finished before the JVM ended: " + rest);
            // Resumed: the key is not delivered again, and the store opens (it was closed, not left locked).
            Cli.Result again = panolm(env, "sync", "--once", "--store", store.toString()).expectExit(0);
            assertTrue(again.stdout().contains(": 0 to-device events, 0 new room keys"), again.stdout());
        }
    }

    @Test
    void badInputGetsAPreciseErrorAndLeavesNothingBehind() throws Exception {
        String base = SERVER.server().baseUrl().toString();
        try (HomeserverClient phone = registerBob("bobbad" + (++users))) {
            String bob = phone.requireCredentials().userId();
            Map<String, String> env = env();
            Path store = dir.resolve("bad");
            Path wrong = dir.resolve("wrong-password");
            Files.writeString(wrong, "not the password");
            Cli.Result r = panolm(env, "login", "--homeserver", base, "--user", bob, "--password-file", wrong.toString(),
                    "--store", store.toString()).expectExit(1);
            assertTrue(r.stderr().contains("the homeserver refused POST /_matrix/client/v3/login: 403 M_FORBIDDEN"),
                    r.stderr());
            assertFalse(r.stderr().contains("not the password"));
            assertFalse(Files.exists(store.resolve("session.json")), "no device is left behind");

            r = panolm(env, "login", "--homeserver", base, "--user", "bob", "--password-file", passwordFile().toString(),
                    "--store", store.toString()).expectExit(1);
            assertTrue(r.stderr().contains("--user bob is not a Matrix user id"), r.stderr());

            panolm(env, "login", "--homeserver", base, "--user", bob, "--password-file", passwordFile().toString(),
                    "--store", store.toString()).expectExit(0);
            r = panolm(env, "login", "--homeserver", base, "--user", bob, "--password-file", passwordFile().toString(),
                    "--store", store.toString()).expectExit(1);
            assertTrue(r.stderr().contains("already holds a device"), r.stderr());

            Map<String, String> badPassphrase = new HashMap<>(env);
            badPassphrase.put("PANOLM_STORE_PASSPHRASE", "not the store passphrase");
            r = panolm(badPassphrase, "sync", "--once", "--store", store.toString()).expectExit(1);
            assertTrue(r.stderr().contains("the store passphrase is wrong"), r.stderr());

            Map<String, String> noPassphrase = new HashMap<>(env);
            noPassphrase.remove("PANOLM_STORE_PASSPHRASE");
            r = panolm(noPassphrase, "sync", "--once", "--store", store.toString()).expectExit(1);
            assertTrue(r.stderr().contains("give --store-passphrase-file FILE or set PANOLM_STORE_PASSPHRASE"), r.stderr());

            r = panolm(env, "backup", "status", "--store", store.toString()).expectExit(2);
            assertTrue(r.stdout().contains("backup: none"), r.stdout());
            Map<String, String> withKey = new HashMap<>(env);
            withKey.put("PANOLM_RECOVERY_KEY", "EsTc 1234");
            r = panolm(withKey, "backup", "restore", "--store", store.toString()).expectExit(1);
            assertTrue(r.stderr().contains("has no key backup on the server"), r.stderr());
        }
    }

    @Test
    void historyExportDecryptsEveryRoomAndFetchesAMissingKeyFromTheBackup() throws Exception {
        String base = SERVER.server().baseUrl().toString();
        try (HomeserverClient phone = registerBob("bobexp" + (++users)); Peer alice = Peer.register(dir)) {
            String bob = phone.requireCredentials().userId();
            Map<String, String> env = env();
            String laptop = dir.resolve("laptop").toString();
            String desktop = dir.resolve("desktop").toString();
            String pw = passwordFile().toString();
            panolm(env, "login", "--homeserver", base, "--user", bob, "--password-file", pw, "--store", laptop).expectExit(0);
            Path keyFile = dir.resolve("key.txt");
            panolm(env, "backup", "setup", "--store", laptop, "--password-file", pw, "--recovery-key-out",
                    keyFile.toString()).expectExit(0);
            String room1 = roomWith(alice, phone);
            alice.write(room1, List.of(alice.userId(), bob), "first room, first message");
            panolm(env, "sync", "--once", "--store", laptop).expectExit(0);

            // The desktop restores the backup (room 1's key) and so holds the backup key.
            panolm(env, "login", "--homeserver", base, "--user", bob, "--password-file", pw, "--store", desktop).expectExit(0);
            panolm(env, "backup", "restore", "--store", desktop, "--recovery-key-file", keyFile.toString()).expectExit(0);

            // Room 2's key goes to the laptop only (alice has not seen the desktop yet); the laptop backs it up.
            String room2 = roomWith(alice, phone);
            alice.writeToKnownDevices(room2, List.of(alice.userId(), bob), "second room, only the laptop got the key");
            Cli.Result sync = panolm(env, "sync", "--once", "--store", laptop).expectExit(0);
            assertTrue(sync.stderr().contains("1 new room keys (backed up"), sync.stderr());

            Path out = dir.resolve("archive");
            Cli.Result export = panolm(env, "history", "export", "--all-rooms", "--out", out.toString(), "--store",
                    desktop).expectExit(0);
            assertTrue(export.stderr().contains(" of 2 rooms into "), export.stderr());
            assertTrue(export.stderr().contains("; 0 not decrypted, 1 keys fetched from the backup"), export.stderr());
            List<String> bodies = new ArrayList<>();
            List<String> trust = new ArrayList<>();
            try (var files = Files.list(out)) {
                List<Path> all = files.sorted().toList();
                assertEquals(2, all.size(), all.toString());
                for (Path f : all) {
                    assertTrue(f.getFileName().toString().endsWith(".jsonl"), f.toString());
                    for (String l : Files.readAllLines(f)) {
                        JsonNode line = Peers.JSON.readTree(l);
                        String status = line.at("/decryption/status").asText();
                        assertTrue(status.equals("ok") || status.equals("not_encrypted"), l);
                        if (status.equals("ok")) {
                            bodies.add(line.at("/content/body").asText());
                            trust.add(line.at("/decryption/key_provenance/source").asText());
                        }
                    }
                }
            }
            assertEquals(java.util.Set.of("first room, first message", "second room, only the laptop got the key"),
                    java.util.Set.copyOf(bodies));
            assertEquals(List.of("backup", "backup"), trust, "both keys came from the backup, and say so");

            // The key fetched on demand is now in the store: html needs no fetch.
            Path html = dir.resolve("archive-html");
            export = panolm(env, "history", "export", "--room", room2, "--out", html.toString(), "--format", "html",
                    "--store", desktop).expectExit(0);
            assertTrue(export.stderr().contains("0 not decrypted, 0 keys fetched"), export.stderr());
            try (var files = Files.list(html)) {
                String page = files.filter(f -> !f.getFileName().toString().startsWith("index"))
                        .filter(f -> f.toString().endsWith(".html")).findFirst().map(f -> {
                            try {
                                return Files.readString(f);
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }).orElseThrow();
                assertTrue(page.contains("second room, only the laptop got the key"), page);
            }

            // Room 3 holds an event of a session whose key nobody has: not in the store, not in the backup.
            String room3 = roomWith(alice, phone);
            ObjectNode orphan = (ObjectNode) Peers.JSON.readTree(alice.engine().encryptRoomEvent(room2, "m.room.message",
                    Peers.JSON.createObjectNode().put("msgtype", "m.text").put("body", "nobody can read this here").toString()));
            orphan.put("session_id", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
            alice.client().put("/_matrix/client/v3/rooms/" + HomeserverClient.segment(room3)
                    + "/send/m.room.encrypted/orphan", orphan, JsonNode.class);
            Path partly = dir.resolve("archive-partly");
            export = panolm(env, "history", "export", "--room", room3, "--out", partly.toString(), "--store", desktop)
                    .expectExit(2);
            assertTrue(export.stderr().contains("; 1 not decrypted, 0 keys fetched from the backup"), export.stderr());
            assertFalse(export.stderr().contains("cannot fetch"), "a key the backup lacks is no error: " + export.stderr());
            try (var files = Files.list(partly)) {
                List<String> failedLines = Files.readAllLines(files.findFirst().orElseThrow()).stream()
                        .filter(l -> l.contains("\"m.room.encrypted\"")).toList();
                assertEquals(1, failedLines.size());
                JsonNode failed = Peers.JSON.readTree(failedLines.getFirst());
                assertEquals("UNKNOWN_SESSION", failed.at("/decryption/status").asText());
                assertTrue(failed.at("/decryption/reason").asText().startsWith("no key for session "), failed.toString());
                assertFalse(failedLines.getFirst().contains("nobody can read this here"));
            }

            // An existing --out is refused, not overwritten.
            Cli.Result exists = panolm(env, "history", "export", "--room", room2, "--out", html.toString(),
                    "--store", desktop).expectExit(1);
            assertTrue(exists.stderr().contains("exists"), exists.stderr());
        }
    }

    @Test
    void aDoNotStoreRoomIsNeitherBackedUpNorArchivedInPlaintext() throws Exception {
        String base = SERVER.server().baseUrl().toString();
        try (HomeserverClient phone = registerBob("bobdns" + (++users)); Peer alice = Peer.register(dir)) {
            String bob = phone.requireCredentials().userId();
            Map<String, String> env = env();
            String laptop = dir.resolve("laptop").toString();
            String pw = passwordFile().toString();
            panolm(env, "login", "--homeserver", base, "--user", bob, "--password-file", pw, "--store", laptop).expectExit(0);
            panolm(env, "backup", "setup", "--store", laptop, "--password-file", pw, "--recovery-key-out",
                    dir.resolve("key.txt").toString()).expectExit(0);
            String plain = roomWith(alice, phone);
            // The flagged room: its m.room.encryption carries panolm's extension field.
            ObjectNode create = Peers.JSON.createObjectNode().put("preset", "private_chat");
            create.putArray("initial_state").addObject().put("type", "m.room.encryption").put("state_key", "")
                    .putObject("content").put("algorithm", "m.megolm.v1.aes-sha2")
                    .put(org.panolm.engine.DoNotStore.FIELD, true);
            String secret = alice.client().post("/_matrix/client/v3/createRoom", create, JsonNode.class)
                    .get("room_id").asText();
            alice.client().post("/_matrix/client/v3/rooms/" + HomeserverClient.segment(secret) + "/invite",
                    Peers.JSON.createObjectNode().put("user_id", bob), JsonNode.class);
            phone.post("/_matrix/client/v3/join/" + HomeserverClient.segment(secret), Peers.JSON.createObjectNode(),
                    JsonNode.class);
            alice.write(plain, List.of(alice.userId(), bob), "an ordinary message");
            alice.write(secret, List.of(alice.userId(), bob), "please do not keep this");
            panolm(env, "sync", "--once", "--store", laptop).expectExit(0);

            JsonNode version = phone.get("/_matrix/client/v3/room_keys/version", JsonNode.class);
            assertEquals(1, version.path("count").asInt(), "only the ordinary room's key is in the backup: " + version);

            Path out = dir.resolve("archive");
            Cli.Result export = panolm(env, "history", "export", "--all-rooms", "--out", out.toString(), "--store",
                    laptop).expectExit(0);
            assertTrue(export.stderr().contains("; 0 not decrypted, 0 keys fetched from the backup, 1 withheld by "
                    + "do-not-store"), export.stderr());
            List<String> statuses = new ArrayList<>();
            try (var files = Files.list(out)) {
                for (Path f : files.sorted().toList()) {
                    String text = Files.readString(f);
                    assertFalse(text.contains("please do not keep this"), "no plaintext of the flagged room: " + f);
                    for (String l : text.lines().toList()) {
                        JsonNode line = Peers.JSON.readTree(l);
                        String status = line.at("/decryption/status").asText();
                        if (!status.equals("not_encrypted")) statuses.add(status);
                        if (status.equals("withheld_do_not_store")) {
                            assertEquals(secret, line.path("room_id").asText());
                            assertEquals("m.room.encrypted", line.path("type").asText(), "kept as it was sent");
                        }
                        if (status.equals("ok")) assertEquals("an ordinary message", line.at("/content/body").asText());
                    }
                }
            }
            assertEquals(List.of("ok", "withheld_do_not_store"), statuses.stream().sorted().toList());

            Path text = dir.resolve("archive-text");
            Cli.Result rendered = panolm(env, "history", "export", "--room", secret, "--out", text.toString(),
                    "--format", "text", "--store", laptop).expectExit(0);
            try (var files = Files.walk(text)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertFalse(Files.readString(f).contains("please do not keep this"), f + "; " + rendered.stderr());
                }
            }
        }
    }
}
