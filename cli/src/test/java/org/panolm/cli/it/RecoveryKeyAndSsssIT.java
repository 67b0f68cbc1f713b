package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.testsupport.Peers;

/** {@code recovery-key generate|check} against the spec's vectors and matrix-js-sdk; {@code ssss decrypt} on js-sdk's account data. */
class RecoveryKeyAndSsssIT {
    @TempDir
    Path dir;

    @Test
    void generatedKeysDecodeInMatrixJsSdkToTheirBackupKey() {
        JsonNode made = Peers.JSON.valueToTree(Map.of());
        try {
            made = Peers.JSON.readTree(Cli.run("recovery-key", "generate", "--json").expectExit(0).stdout());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        String key = made.get("recovery_key").asText();
        assertTrue(key.matches("Es[STU][1-9A-HJ-NP-Za-km-z]( ?[1-9A-HJ-NP-Za-km-z]{4}){11}") && key.length() == 59, key);
        JsonNode js = Element.node("recovery_key_bytes", Map.of("recovery_key", key));
        byte[] priv = Base64.getDecoder().decode(js.get("private_key").asText());
        assertEquals(32, priv.length);
        // The same bytes as a backup key give the public key panolm printed.
        JsonNode back = Element.node("recovery_key", Map.of("private_key", js.get("private_key").asText()));
        assertEquals(key, back.get("recovery_key").asText(), "js-sdk encodes the bytes back to the same Security Key");
        String plain = Cli.run("recovery-key", "generate").expectExit(0).stdout().strip();
        assertFalse(plain.equals(key), "keys are random");
    }

    private Cli.Result check(String text) {
        return Cli.run(text.getBytes(StandardCharsets.UTF_8), Map.of(), "recovery-key", "check");
    }

    @Test
    void checkAcceptsSpecVectorsAndNamesEachFailure() {
        check("EsTc LW2K PGiF wKEA 3As5 g5c4 BXwk qeeJ ZJV8 Q9fu gUMN UE4d\n").expectExit(0);
        check("EsT           pRvZTnjck8    YrhRAtw XLS84Nr2r9S9LGAWDaExVAPBvLRK   ").expectExit(0);
        Path file = History.write(dir, "key.txt", "EsTcLW2KPGiFwKEA3As5g5c4BXwkqeeJZJV8Q9fugUMNUE4d");
        Cli.run("recovery-key", "check", "--in", file.toString()).expectExit(0);
        Map<String, String> bad = Map.of(
                "EsTcLW2KPGiFwKEA3As5g5c4BXwkqeeJZJV8Q9fugUMNUE4e", "BAD_PARITY",
                "AATpRvZTnjck8YrhRAtwXLS84Nr2r9S9LGAWDaExVAPBvLRk", "BAD_PREFIX",
                "AATpRvZTnjck8YrhRAtwXLS84Nr2r9S9", "BAD_LENGTH",
                "AATpRvZTnjck8YrhRAtwXLS84Nr0OIl", "BAD_CHARACTER");
        bad.forEach((text, reason) -> {
            Cli.Result r = check(text).expectExit(1);
            assertTrue(r.lastErrLine().startsWith("panolm: not a valid Security Key: it ")
                    && r.lastErrLine().endsWith("[" + reason + "]"), r.stderr());
        });
        assertTrue(check("").expectExit(1).lastErrLine().contains("no Security Key"));
    }

    @Test
    void ssssDecryptWithTheSecurityKeyOrPhraseAndRefusesAWrongKey() throws Exception {
        String backupKey = "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo="; // js-sdk writes it padded
        JsonNode random = Element.node("ssss", Map.of("secrets", Map.of("m.megolm_backup.v1", backupKey,
                "m.cross_signing.master", "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE")));
        Path data = History.write(dir, "account_data.json", random.get("account_data").toString());
        Path key = History.write(dir, "key.txt", random.get("recovery_key").asText() + "\n");
        Cli.Result r = Cli.run("ssss", "decrypt", "--account-data", data.toString(), "--name", "m.megolm_backup.v1",
                "--recovery-key-file", key.toString()).expectExit(0);
        assertEquals("dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo\n", r.stdout());
        r = Cli.run(null, Map.of("PANOLM_RECOVERY_KEY", random.get("recovery_key").asText()), "ssss", "decrypt",
                "--account-data", data.toString(), "--name", "m.cross_signing.master",
                "--key-id", random.get("key_id").asText()).expectExit(0);
        assertEquals("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE\n", r.stdout());

        // The /sync shape: {"account_data": {"events": [{type, content}]}}.
        ObjectNode sync = Peers.JSON.createObjectNode();
        ArrayNode events = sync.putObject("account_data").putArray("events");
        random.get("account_data").fields().forEachRemaining(f ->
                events.addObject().put("type", f.getKey()).set("content", f.getValue()));
        Path syncFile = History.write(dir, "sync.json", sync.toString());
        Cli.run("ssss", "decrypt", "--account-data", syncFile.toString(), "--name", "m.megolm_backup.v1",
                "--recovery-key-file", key.toString()).expectExit(0);

        String wrong = Cli.run("recovery-key", "generate").expectExit(0).stdout().strip();
        Cli.Result refused = Cli.run(null, Map.of("PANOLM_RECOVERY_KEY", wrong), "ssss", "decrypt", "--account-data",
                data.toString(), "--name", "m.megolm_backup.v1").expectExit(1);
        assertTrue(refused.lastErrLine().contains("wrong Security Key: it fails the key check"), refused.stderr());
        assertEquals("", refused.stdout());

        JsonNode phrase = Element.node("ssss", Map.of("secrets", Map.of("m.megolm_backup.v1", backupKey),
                "passphrase", "a long Security Phrase ☃", "iterations", 1000));
        Path phraseData = History.write(dir, "phrase.json", phrase.get("account_data").toString());
        r = Cli.run(null, Map.of("PANOLM_PASSPHRASE", "a long Security Phrase ☃"), "ssss", "decrypt",
                "--account-data", phraseData.toString(), "--name", "m.megolm_backup.v1").expectExit(0);
        assertEquals("dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo\n", r.stdout());
        refused = Cli.run(null, Map.of("PANOLM_PASSPHRASE", "not the phrase"), "ssss", "decrypt",
                "--account-data", phraseData.toString(), "--name", "m.megolm_backup.v1").expectExit(1);
        assertTrue(refused.lastErrLine().contains("wrong Security Phrase"), refused.stderr());
        // The same key also opens with its base58 form.
        Cli.run(null, Map.of("PANOLM_RECOVERY_KEY", phrase.get("recovery_key").asText()), "ssss", "decrypt",
                "--account-data", phraseData.toString(), "--name", "m.megolm_backup.v1").expectExit(0);
        Cli.Result missing = Cli.run(null, Map.of("PANOLM_RECOVERY_KEY", wrong), "ssss", "decrypt", "--account-data",
                data.toString(), "--name", "m.cross_signing.self_signing").expectExit(1);
        assertTrue(missing.lastErrLine().contains("is not stored under key"), missing.stderr());
        List.of(refused, missing).forEach(x -> assertFalse(x.stderr().contains(wrong.substring(5, 15))));
    }
}
