package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.testsupport.Peers;

/**
 * {@code history decrypt} with the key files people actually have: a nio export file (passphrase), an
 * Element (matrix-sdk-crypto-wasm) backup (Security Key), and the ways those go wrong.
 */
class KeyFilesIT {
    @TempDir
    Path dir;

    private final History h = History.get();

    private List<ObjectNode> decryptable() {
        return h.events.stream().filter(e -> h.expected.get(e.get("event_id").asText()).get("status").asText().equals("ok"))
                .toList();
    }

    private static void assertAllOk(List<ObjectNode> in, String out) {
        List<JsonNode> lines = History.lines(out);
        assertEquals(in.size(), lines.size());
        for (int i = 0; i < in.size(); i++) {
            assertEquals(in.get(i).get("event_id"), lines.get(i).get("event_id"));
            assertEquals("ok", lines.get(i).at("/decryption/status").asText(), lines.get(i).toString());
        }
    }

    @Test
    void nioExportFileWithPassphraseFromAFileOrTheEnvironment() {
        Path export = History.write(dir, "element-keys.txt", h.exportFile);
        Path pass = History.write(dir, "pass.txt", History.PASSPHRASE + "\n");
        List<ObjectNode> events = decryptable();
        byte[] in = History.jsonLines(events);
        Cli.Result fromFile = Cli.run(in, Map.of(), "history", "decrypt", "--keys", export.toString(),
                "--passphrase-file", pass.toString()).expectExit(0);
        assertAllOk(events, fromFile.stdout());
        Cli.Result fromEnv = Cli.run(in, Map.of("PANOLM_PASSPHRASE", History.PASSPHRASE), "history", "decrypt",
                "--keys", export.toString()).expectExit(0);
        assertEquals(fromFile.stdout(), fromEnv.stdout());
    }

    @Test
    void wrongPassphraseIsFatalAndLeavesNoOutput() throws Exception {
        Path export = History.write(dir, "element-keys.txt", h.exportFile);
        Path out = dir.resolve("out.jsonl");
        Cli.Result r = Cli.run(History.jsonLines(decryptable()), Map.of("PANOLM_PASSPHRASE", "not the passphrase"),
                "history", "decrypt", "--keys", export.toString(), "--out", out.toString()).expectExit(1);
        assertEquals("panolm: --keys " + export + ": wrong passphrase (or the file was altered): its MAC does not "
                + "verify, nothing was decrypted", r.lastErrLine());
        assertNoOutput(out);
    }

    @Test
    void truncatedExportFileIsFatalAndSaysSo() throws Exception {
        String[] lines = h.exportFile.split("\n");
        String truncated = lines[0] + "\n" + lines[1].substring(0, 40) + "\n";
        Path export = History.write(dir, "cut.txt", truncated);
        Path out = dir.resolve("out.jsonl");
        Cli.Result r = Cli.run(History.jsonLines(decryptable()), Map.of("PANOLM_PASSPHRASE", History.PASSPHRASE),
                "history", "decrypt", "--keys", export.toString(), "--out", out.toString()).expectExit(1);
        assertTrue(r.lastErrLine().startsWith("panolm: --keys " + export + ": "), r.stderr());
        assertTrue(r.lastErrLine().toLowerCase().contains("trailer") || r.lastErrLine().toLowerCase().contains("footer")
                || r.lastErrLine().contains("too short"), r.stderr());
        assertNoOutput(out);
    }

    @Test
    void elementBackupWithItsSecurityKeyDecryptsTheHistory() {
        Element e = Element.backup();
        Path body = History.write(dir, "room_keys.json", e.body.toString());
        Path key = History.write(dir, "security-key.txt", e.recoveryKey + "\n");
        Path version = History.write(dir, "version.json", e.version.toString());
        List<ObjectNode> events = decryptable();
        Cli.Result r = Cli.run(History.jsonLines(events), Map.of(), "history", "decrypt", "--keys", body.toString(),
                "--recovery-key-file", key.toString(), "--backup-version", version.toString()).expectExit(0);
        assertAllOk(events, r.stdout());
        Cli.Result env = Cli.run(History.jsonLines(events), Map.of("PANOLM_RECOVERY_KEY", e.recoveryKey),
                "history", "decrypt", "--keys", body.toString()).expectExit(0);
        // The same lines, but only the run given the version can name it in each key's provenance.
        String version1 = "\"key_provenance\":{\"source\":\"backup\",\"backup_version\":\""
                + e.version.get("version").asText() + "\",\"auth_data_trusted\":false}";
        assertTrue(r.stdout().contains(version1), r.stdout().substring(0, Math.min(2000, r.stdout().length())));
        assertEquals(r.stdout().replace(version1, "\"key_provenance\":{\"source\":\"backup\",\"auth_data_trusted\":false}"),
                env.stdout());
    }

    @Test
    void wrongSecurityKeyIsFatalWithOrWithoutTheVersion() throws Exception {
        Element e = Element.backup();
        Path body = History.write(dir, "room_keys.json", e.body.toString());
        Path version = History.write(dir, "version.json", e.version.toString());
        String other = Cli.run("recovery-key", "generate").expectExit(0).stdout().strip();
        Path out = dir.resolve("out.jsonl");
        Cli.Result noVersion = Cli.run(History.jsonLines(decryptable()), Map.of("PANOLM_RECOVERY_KEY", other),
                "history", "decrypt", "--keys", body.toString(), "--out", out.toString()).expectExit(1);
        assertTrue(noVersion.lastErrLine().contains("wrong Security Key: none of its"), noVersion.stderr());
        Cli.Result withVersion = Cli.run(History.jsonLines(decryptable()), Map.of("PANOLM_RECOVERY_KEY", other),
                "history", "decrypt", "--keys", body.toString(), "--backup-version", version.toString(),
                "--out", out.toString()).expectExit(1);
        assertTrue(withVersion.lastErrLine().contains("does not match the public_key"), withVersion.stderr());
        // The last character changed (to one it is not), as a typo would: the parity check must catch it.
        char last = e.recoveryKey.charAt(e.recoveryKey.length() - 1);
        String typo = e.recoveryKey.substring(0, e.recoveryKey.length() - 1) + (last == 'x' ? 'y' : 'x');
        Cli.Result mistyped = Cli.run(History.jsonLines(decryptable()),
                Map.of("PANOLM_RECOVERY_KEY", typo),
                "history", "decrypt", "--keys", body.toString(), "--out", out.toString()).expectExit(1);
        assertTrue(mistyped.lastErrLine().contains("Security Key"), mistyped.stderr());
        assertFalse(mistyped.stderr().contains(e.recoveryKey.substring(5, 20)), "the key is never echoed");
        assertNoOutput(out);
    }

    /**
     * Element today: the Security Key opens secret storage (made by matrix-js-sdk), whose m.megolm_backup.v1
     * secret is the key of the backup (made by matrix-sdk-crypto-wasm).
     */
    @Test
    void elementSecurityKeyThroughSecretStorage() throws Exception {
        Element e = Element.backup();
        String padded = e.privateKey + "=".repeat((4 - e.privateKey.length() % 4) % 4); // js-sdk stores it padded
        JsonNode ssss = Element.node("ssss", Map.of("secrets", Map.of("m.megolm_backup.v1", padded)));
        Path accountData = History.write(dir, "account_data.json", ssss.get("account_data").toString());
        Path body = History.write(dir, "room_keys.json", e.body.toString());
        List<ObjectNode> events = decryptable();
        Cli.Result r = Cli.run(History.jsonLines(events), Map.of("PANOLM_RECOVERY_KEY", ssss.get("recovery_key").asText()),
                "history", "decrypt", "--keys", body.toString(), "--account-data", accountData.toString()).expectExit(0);
        assertAllOk(events, r.stdout());
        Cli.Result wrong = Cli.run(History.jsonLines(events), Map.of("PANOLM_RECOVERY_KEY", e.recoveryKey),
                "history", "decrypt", "--keys", body.toString(), "--account-data", accountData.toString()).expectExit(1);
        assertTrue(wrong.lastErrLine().contains("wrong Security Key: it fails the key check"), wrong.stderr());
        assertEquals("", wrong.stdout());
    }

    /** A legacy passphrase backup: the key is m.pbkdf2 of the Security Phrase (derived here by matrix-js-sdk). */
    @Test
    void backupUnderASecurityPhraseWithSaltFromOptionsOrTheVersion() throws Exception {
        String phrase = "a Security Phrase ☃ with spaces";
        JsonNode derived = Element.node("phrase_backup_key", Map.of("passphrase", phrase, "salt", "SaltSaltSalt",
                "iterations", 1000));
        Path keys = History.write(dir, "keys.json", h.keys.toString());
        Path body = dir.resolve("room_keys.json");
        Cli.run("backup", "create", "--keys", keys.toString(), "--public-key", derived.get("public_key").asText(),
                "--out", body.toString()).expectExit(0);
        List<ObjectNode> events = decryptable();
        Path pass = History.write(dir, "phrase.txt", phrase + "\n");
        Cli.Result r = Cli.run(History.jsonLines(events), Map.of(), "history", "decrypt", "--keys", body.toString(),
                "--passphrase-file", pass.toString(), "--pbkdf2-salt", "SaltSaltSalt", "--pbkdf2-iterations", "1000")
                .expectExit(0);
        assertAllOk(events, r.stdout());
        ObjectNode version = Peers.JSON.createObjectNode();
        version.put("algorithm", "m.megolm_backup.v1.curve25519-aes-sha2").put("version", "7");
        version.putObject("auth_data").put("public_key", derived.get("public_key").asText())
                .put("private_key_salt", "SaltSaltSalt").put("private_key_iterations", 1000);
        Path versionFile = History.write(dir, "version.json", version.toString());
        r = Cli.run(History.jsonLines(events), Map.of("PANOLM_PASSPHRASE", phrase), "history", "decrypt", "--keys",
                body.toString(), "--backup-version", versionFile.toString()).expectExit(0);
        assertAllOk(events, r.stdout());
        Cli.Result wrong = Cli.run(History.jsonLines(events), Map.of("PANOLM_PASSPHRASE", "wrong phrase"), "history",
                "decrypt", "--keys", body.toString(), "--backup-version", versionFile.toString()).expectExit(1);
        assertTrue(wrong.lastErrLine().contains("does not match the public_key"), wrong.stderr());
        Cli.Result half = Cli.run(History.jsonLines(events), Map.of("PANOLM_PASSPHRASE", phrase), "history", "decrypt",
                "--keys", body.toString(), "--pbkdf2-salt", "SaltSaltSalt").expectExit(1);
        assertTrue(half.lastErrLine().contains("needs both --pbkdf2-salt and --pbkdf2-iterations"), half.stderr());
    }

    @Test
    void notAKeyFileIsFatal() throws Exception {
        Path notKeys = History.write(dir, "notes.txt", "my keys are somewhere else\n");
        Path out = dir.resolve("out.jsonl");
        Cli.Result r = Cli.run(History.jsonLines(decryptable()), Map.of(), "history", "decrypt", "--keys",
                notKeys.toString(), "--out", out.toString()).expectExit(1);
        assertTrue(r.lastErrLine().startsWith("panolm: --keys " + notKeys + " is not a room-key file"), r.stderr());
        Cli.Result missing = Cli.run(History.jsonLines(decryptable()), Map.of(), "history", "decrypt", "--keys",
                dir.resolve("nope.json").toString()).expectExit(1);
        assertEquals("panolm: cannot read --keys " + dir.resolve("nope.json") + ": no such file", missing.lastErrLine());
        assertNoOutput(out);
    }

    static void assertNoOutput(Path out) throws Exception {
        assertFalse(Files.exists(out), "no output file after a fatal error");
        try (var files = Files.list(out.getParent())) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".partial")), "no temporary file left");
        }
    }
}
