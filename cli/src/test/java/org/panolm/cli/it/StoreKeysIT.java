package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.panolm.client.HomeserverClient;
import org.panolm.testkit.TestHomeserverExtension;

/**
 * The store is where a device's keys live and key files are how they travel: {@code keys import} fills a logged-in
 * device's store from a key file, {@code history decrypt --store} decrypts with the store's keys exactly as with the
 * file, and {@code keys export} writes them out again, also after logout with {@code --keep-store}.
 */
class StoreKeysIT {
    @RegisterExtension
    static final TestHomeserverExtension SERVER = new TestHomeserverExtension();

    private static final String PASSWORD = "carol's account password";

    @TempDir
    Path dir;

    private final History h = History.get();

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("PANOLM_STORE_PASSPHRASE", "carol's store passphrase");
        env.put("PANOLM_OUT_PASSPHRASE", "the new export's passphrase");
        env.put("PANOLM_PASSPHRASE", "the new export's passphrase"); // reading that export back
        env.put("XDG_DATA_HOME", dir.resolve("xdg").toString());
        return env;
    }

    private static Cli.Result panolm(Map<String, String> env, String... args) {
        return Cli.run(null, env, args);
    }

    private Path login(Map<String, String> env, String localpart) throws Exception {
        Path password = Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        String user;
        try (HomeserverClient phone = HomeserverClient.builder(SERVER.server().baseUrl()).build()) {
            phone.register(localpart, PASSWORD.toCharArray(), "carol's phone");
            user = phone.requireCredentials().userId();
        }
        Path store = dir.resolve("laptop");
        panolm(env, "login", "--homeserver", SERVER.server().baseUrl().toString(), "--user", user,
                "--password-file", password.toString(), "--store", store.toString()).expectExit(0);
        return store;
    }

    private String decrypt(Map<String, String> env, Path in, String name, String... keySource) throws Exception {
        Path out = dir.resolve(name);
        String[] args = new String[keySource.length + 6];
        args[0] = "history";
        args[1] = "decrypt";
        System.arraycopy(keySource, 0, args, 2, keySource.length);
        args[keySource.length + 2] = "--in";
        args[keySource.length + 3] = in.toString();
        args[keySource.length + 4] = "--out";
        args[keySource.length + 5] = out.toString();
        panolm(env, args).expectExit(2); // the python history holds four events no key opens
        return Files.readString(out);
    }

    private static java.util.List<JsonNode> withoutProvenance(String jsonLines) {
        java.util.List<JsonNode> lines = History.lines(jsonLines);
        for (JsonNode line : lines) {
            if (line.path("decryption") instanceof ObjectNode d) d.remove("key_provenance");
        }
        return lines;
    }

    @Test
    void keyFilesGoIntoTheStoreTheStoreDecryptsAndTheKeysComeOutAgain() throws Exception {
        Map<String, String> env = env();
        Path store = login(env, "carol");
        Path keyFile = History.write(dir, "keys.json", h.keys.toString());
        Path history = History.write(dir, "history.jsonl", History.jsonLines(h.events));

        Cli.Result imported = panolm(env, "keys", "import", "--store", store.toString(), "--keys", keyFile.toString())
                .expectExit(0);
        int n = h.keys.size();
        assertTrue(imported.stdout().startsWith(String.format("imported %,d keys into %s: %,d new, 0 improved a held copy, 0 unchanged",
                n, store, n)), imported.stdout());
        // The same file again changes nothing.
        Cli.Result again = panolm(env, "keys", "import", "--store", store.toString(), "--keys", keyFile.toString())
                .expectExit(0);
        assertTrue(again.stdout().contains(String.format("0 new, 0 improved a held copy, %,d unchanged", n)), again.stdout());

        String fromFile = decrypt(env, history, "from-file.jsonl", "--keys", keyFile.toString());
        String fromStore = decrypt(env, history, "from-store.jsonl", "--store", store.toString());
        assertEquals(fromFile, fromStore, "the store's keys decrypt exactly as the file's");

        // Out again as an export file, after the device logged out and kept its store.
        panolm(env, "logout", "--store", store.toString(), "--keep-store").expectExit(0);
        Path export = dir.resolve("keys.txt");
        Cli.Result exported = panolm(env, "keys", "export", "--store", store.toString(), "--out", export.toString(),
                "--rounds", "1000", "--allow-weak-rounds").expectExit(0);
        assertTrue(exported.stderr().contains(String.format("exported %,d keys", n)), exported.stderr());
        assertTrue(Files.readString(export).startsWith("-----BEGIN MEGOLM SESSION DATA-----"));
        // The same events decrypt to the same plaintexts; only the provenance now names the export file.
        assertEquals(withoutProvenance(fromFile), withoutProvenance(decrypt(env, history, "from-export.jsonl", "--keys",
                export.toString())), "the exported file decrypts as the original");
    }

    @Test
    void aKeyThatCannotBeUsedIsReportedAndTheRestAreImported() throws Exception {
        Map<String, String> env = env();
        Path store = login(env, "erin");
        com.fasterxml.jackson.databind.node.ArrayNode keys = h.keys.deepCopy();
        ((ObjectNode) keys.get(0)).put("session_key", "not a session key");
        ((ObjectNode) keys.get(1)).remove("room_id");
        Path keyFile = History.write(dir, "damaged.json", keys.toString());
        Cli.Result r = panolm(env, "keys", "import", "--store", store.toString(), "--keys", keyFile.toString())
                .expectExit(2);
        int taken = keys.size() - 2;
        assertTrue(r.stdout().startsWith(String.format("imported %,d keys into %s: %,d new", taken, store, taken)), r.stdout());
        assertTrue(r.stderr().contains("panolm: 2 keys rejected, for example:"), r.stderr());
        assertTrue(r.stderr().contains("room_id is missing"), r.stderr());
        assertTrue(!r.stderr().contains("not a session key"), "no key material echoed: " + r.stderr());
    }

    @Test
    void withoutKeysOrAStoreOrWithAWrongPassphraseNothingRuns() throws Exception {
        Map<String, String> env = env();
        Path store = login(env, "dave");
        Path history = History.write(dir, "history.jsonl", History.jsonLines(h.events));
        Cli.Result none = panolm(env, "history", "decrypt", "--in", history.toString()).expectExit(1);
        assertTrue(none.stderr().contains("give the room keys: --keys FILE (repeatable) or --store DIR"), none.stderr());

        Map<String, String> wrong = new HashMap<>(env);
        wrong.put("PANOLM_STORE_PASSPHRASE", "not the passphrase");
        Cli.Result locked = panolm(wrong, "keys", "export", "--store", store.toString(), "--out",
                dir.resolve("never.txt").toString()).expectExit(1);
        assertTrue(!Files.exists(dir.resolve("never.txt")), "no output file is left");
        assertTrue(locked.stderr().startsWith("panolm: "), locked.stderr());

        Cli.Result empty = panolm(env, "history", "decrypt", "--store", store.toString(), "--in", history.toString())
                .expectExit(1);
        assertTrue(empty.stderr().contains("no usable room key in the store"), empty.stderr());
    }
}
