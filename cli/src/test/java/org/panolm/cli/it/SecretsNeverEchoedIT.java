package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret appears in any message: a Security Key or a passphrase fed through every malformed-input path
 * of every command (the file given to the wrong option, pasted into a JSON file, a key with a typo) is
 * never printed on standard output or error, nor written to an output file.
 */
class SecretsNeverEchoedIT {
    @TempDir
    Path dir;

    private final History h = History.get();
    private final List<String> leaks = new ArrayList<>();
    private int runs;
    private int failed;

    /** A Security Key, its typo'd form, and a passphrase: the three secrets the command is given. */
    private String securityKey;
    private static final String PASSPHRASE = "Correct-Horse-7f3a9c-Battery";

    /** Every 6 characters in a row of a secret (spaces removed: a key is shown in groups). */
    private Set<String> fragments() {
        Set<String> out = new HashSet<>();
        for (String secret : List.of(securityKey.replace(" ", ""), PASSPHRASE, securityKey)) {
            for (int i = 0; i + 6 <= secret.length(); i++) {
                String f = secret.substring(i, i + 6);
                if (!f.contains(" ")) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    /** Runs the command and scans what it printed and every file it wrote for the secrets. */
    private void scan(String what, byte[] stdin, Map<String, String> env, String... args) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out" + runs));
        List<String> withOut = new ArrayList<>(List.of(args));
        for (int i = 0; i < withOut.size(); i++) {
            withOut.set(i, withOut.get(i).replace("OUT", out.resolve("result").toString()));
        }
        Cli.Result r = Cli.run(stdin, env, withOut.toArray(String[]::new));
        runs++;
        if (r.exit() != 0) {
            failed++;
        }
        StringBuilder written = new StringBuilder(r.stdout()).append('\n').append(r.stderr());
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                written.append('\n').append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        String text = written.toString();
        for (String f : fragments()) {
            if (text.contains(f)) {
                leaks.add(what + " shows \"" + f + "\":\n" + text.substring(0, Math.min(text.length(), 600)));
                return;
            }
        }
    }

    private Path file(String name, String text) {
        return History.write(dir, name, text);
    }

    @Test
    void noSecretInAnyMessageOfAnyCommand() throws Exception {
        securityKey = Cli.run("recovery-key", "generate").expectExit(0).stdout().strip();
        assertEquals(59, securityKey.length());
        char last = securityKey.charAt(securityKey.length() - 1);
        String typo = securityKey.substring(0, securityKey.length() - 1) + (last == 'x' ? 'y' : 'x');
        String compact = securityKey.replace(" ", "");

        // The secrets where a parser complains, each through the commands and options whose parser reads that
        // shape (every parse path once: more runs would only repeat them).
        String bare = "{\"type\": " + compact + "}\n";
        String inArray = "[" + compact + "]\n";
        String cutOff = "[{\"session_key\": \"" + PASSPHRASE + "\" \"" + compact + "\"}]\n";
        String duplicate = "{\"rooms\": {\"" + compact + "\": 1, \"" + compact + "\": 2}}\n";
        String wrongType = "{\"rooms\": {\"!r:x\": {\"sessions\": {\"s\": {\"first_message_index\": \"" + compact
                + "\"}}}}}\n";
        String wrongTypeInKey = "[{\"room_id\": \"!r:x\", \"forwarding_curve25519_key_chain\": \"" + PASSPHRASE + "\"}]\n";
        String messages = "{\"chunk\": [{\"content\": " + compact + "}, \"" + PASSPHRASE + "\n";
        String armour = "-----BEGIN MEGOLM SESSION DATA-----\n" + compact + PASSPHRASE + "\n-----END MEGOLM SESSION DATA-----\n";
        Path keys = file("keys.json", h.keys.toString());
        Path export = file("export.txt", h.exportFile);
        Path history = file("history.jsonl", new String(History.jsonLines(h.events), StandardCharsets.UTF_8));
        Element e = Element.backup();
        Path body = file("room_keys.json", e.body.toString());
        Map<String, String> secrets = Map.of("PANOLM_PASSPHRASE", PASSPHRASE, "PANOLM_RECOVERY_KEY", securityKey,
                "PANOLM_OUT_PASSPHRASE", PASSPHRASE);
        for (String bad : List.of(bare, inArray, duplicate, messages)) {
            scan("history decrypt --in " + bad, null, Map.of(), "history", "decrypt", "--keys", keys.toString(),
                    "--in", file("h.json", bad).toString(), "--out", "OUT");
        }
        scan("history decrypt (stdin)", bare.getBytes(StandardCharsets.UTF_8), Map.of(), "history", "decrypt",
                "--keys", keys.toString());
        for (String bad : List.of(bare, inArray, cutOff, duplicate, wrongType, wrongTypeInKey, armour)) {
            scan("history decrypt --keys " + bad, null, secrets, "history", "decrypt", "--keys",
                    file("k.json", bad).toString(), "--in", history.toString());
        }
        for (String bad : List.of(bare, duplicate, wrongType)) {
            scan("history decrypt --backup-version " + bad, null, secrets, "history", "decrypt", "--keys",
                    body.toString(), "--backup-version", file("v.json", bad).toString(), "--in", history.toString());
            scan("ssss decrypt --account-data " + bad, null, secrets, "ssss", "decrypt", "--account-data",
                    file("a.json", bad).toString(), "--name", "m.megolm_backup.v1");
        }
        scan("history decrypt --account-data", null, secrets, "history", "decrypt", "--keys", body.toString(),
                "--account-data", file("a.json", duplicate).toString(), "--in", history.toString());
        scan("backup restore --backup", null, secrets, "backup", "restore", "--backup", file("b.json", wrongType).toString(),
                "--out", "OUT");
        scan("backup create --keys", null, secrets, "backup", "create", "--keys", file("k.json", cutOff).toString(),
                "--public-key", "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo", "--out", "OUT");
        scan("export decrypt --in", null, secrets, "export", "decrypt", "--in", file("x.txt", armour).toString(),
                "--out", "OUT");
        for (String bad : List.of(inArray, wrongTypeInKey)) {
            scan("export encrypt --in " + bad, null, secrets, "export", "encrypt", "--in", file("k.json", bad).toString(),
                    "--out", "OUT");
            scan("export inspect --in " + bad, null, secrets, "export", "inspect", "--in", file("k.json", bad).toString());
        }
        int parsed = runs;
        // The secret files themselves, wrong or mistyped, through every option that takes them.
        Path typoFile = file("typo.txt", typo + "\n");
        Path phraseFile = file("phrase.txt", PASSPHRASE + "\n");
        Path keyFile = file("key.txt", securityKey + "\n");
        scan("recovery-key check (typo)", typo.getBytes(StandardCharsets.UTF_8), Map.of(), "recovery-key", "check");
        scan("recovery-key check --in (typo)", null, Map.of(), "recovery-key", "check", "--in", typoFile.toString());
        scan("history decrypt --recovery-key-file (typo)", null, Map.of(), "history", "decrypt", "--keys", body.toString(),
                "--recovery-key-file", typoFile.toString(), "--in", history.toString());
        scan("history decrypt --recovery-key-file (wrong key)", null, Map.of(), "history", "decrypt", "--keys",
                body.toString(), "--recovery-key-file", keyFile.toString(), "--in", history.toString());
        scan("history decrypt --passphrase-file (wrong)", null, Map.of(), "history", "decrypt", "--keys",
                export.toString(), "--passphrase-file", phraseFile.toString(), "--in", history.toString());
        scan("export decrypt (wrong passphrase)", null, Map.of("PANOLM_PASSPHRASE", PASSPHRASE), "export", "decrypt",
                "--in", export.toString(), "--out", "OUT");
        scan("backup restore (typo)", null, Map.of("PANOLM_RECOVERY_KEY", typo), "backup", "restore", "--backup",
                body.toString(), "--out", "OUT");
        scan("history decrypt --keys (the Security Key file)", null, Map.of(), "history", "decrypt", "--keys",
                keyFile.toString(), "--in", history.toString());
        scan("history decrypt --in (the Security Key file)", null, Map.of(), "history", "decrypt", "--keys",
                keys.toString(), "--in", keyFile.toString(), "--out", "OUT");
        scan("history decrypt --in (the passphrase file)", null, Map.of(), "history", "decrypt", "--keys",
                keys.toString(), "--in", phraseFile.toString(), "--out", "OUT");
        scan("export inspect --in (the Security Key file)", null, Map.of(), "export", "inspect", "--in", keyFile.toString());
        scan("ssss decrypt --account-data (the Security Key file)", null, secrets, "ssss", "decrypt", "--account-data",
                keyFile.toString(), "--name", "m.megolm_backup.v1");

        assertEquals(parsed + 12, runs);
        assertTrue(failed >= runs - 12, "the inputs are bad: " + failed + " of " + runs + " runs failed");
        assertTrue(leaks.isEmpty(), leaks.size() + " leaks:\n" + String.join("\n\n", leaks));
    }
}
