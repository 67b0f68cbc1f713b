package org.panolm.hardening;

import org.panolm.internal.json.CanonicalTree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.backup.BackupVersion;
import org.panolm.backup.RoomKeysBody;
import org.panolm.export.RoomKeyExport;
import org.panolm.export.RoomKeyExportException;
import org.panolm.internal.json.CanonicalTree;
import org.panolm.json.CanonicalJson;
import org.panolm.keystore.SessionFilter;
import org.panolm.megolm.BatchResults;
import org.panolm.megolm.BulkDecryptor;
import org.panolm.megolm.PreparedBatch;
import org.panolm.recovery.Passphrase;
import org.panolm.ssss.SecretStorageAccountData;
import org.panolm.subtle.Aes;
import org.panolm.subtle.Kdf;
import org.panolm.subtle.Mac;

/**
 * A secret in malformed JSON (a Security Key pasted into the wrong file, key material inside an export file
 * whose payload is damaged) never reaches an exception message or cause: Jackson's own messages quote the
 * offending token, character or value, so panolm's parsers say where (line, column, field) instead.
 */
class ParseErrorsNeverQuoteInputTest {
    private static final String SECRET = "EsTcQ7xPz9Wm4RkV2bNhY8jL3fGd6sAe";

    @TempDir
    Path dir;

    /** Each malformed shape with the secret in the place a parser complains about. */
    private static List<String> malformed() {
        return List.of(
                "{\"key\": " + SECRET + "}",                                  // a bare word
                SECRET,                                                       // the whole input
                "{\"key\": \"" + SECRET + "\" \"" + SECRET + "\"}",           // a missing comma after it
                "{\"" + SECRET + "\": 1, \"" + SECRET + "\": 2}",             // a duplicate name
                "[\"" + SECRET + "\u0001\"]",                                 // a control character in it
                "{\"key\": \"" + SECRET);                                     // cut off inside it
    }

    private final List<String> leaks = new ArrayList<>();
    private int checked;

    private void check(String where, Executable bad) {
        Throwable e = assertThrows(Throwable.class, bad, where + " must fail");
        assertTrue(e instanceof PanolmException, where + " fails with a PanolmException, not " + e);
        checked++;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (quotes(String.valueOf(t.getMessage())) || quotes(t.toString())) {
                leaks.add(where + ": " + t);
            }
        }
    }

    /** Any 6 consecutive characters of the secret (Jackson quotes token starts such as 'EsTc...'). */
    static boolean quotes(String text) {
        for (int i = 0; i + 6 <= SECRET.length(); i++) {
            if (text.contains(SECRET.substring(i, i + 6))) {
                return true;
            }
        }
        return text.contains("'Es");
    }

    @Test
    void noParserQuotesTheInputInItsErrors() throws Exception {
        int n = 0;
        for (String bad : malformed()) {
            n++;
            byte[] bytes = bad.getBytes(StandardCharsets.UTF_8);
            check("CanonicalTree.parse(String) #" + n, () -> CanonicalTree.parse(bad));
            check("CanonicalTree.parse(byte[]) #" + n, () -> CanonicalTree.parse(bytes));
            check("SecretStorageAccountData.parse #" + n, () -> SecretStorageAccountData.parse(bad));
            check("SecretStorageAccountData.read #" + n, () -> SecretStorageAccountData.read(new ByteArrayInputStream(bytes)));
            check("RoomKeysBody.fromJson #" + n, () -> RoomKeysBody.fromJson(bytes));
            check("BackupVersion.fromJson #" + n, () -> BackupVersion.fromJson(bytes));
            check("RoomKeyExport.importFile #" + n, () -> importExport("[" + bad + "]"));
        }
        // Well-formed JSON whose values have the wrong type: databind quotes the value it could not convert.
        check("BackupVersion.fromJson (wrong type)", () -> BackupVersion.fromJson(("{\"version\":\"1\",\"count\":\""
                + SECRET + "\"}").getBytes(StandardCharsets.UTF_8)));
        // A backup body is read leniently (one bad entry never costs a restore): the entry is set apart, unquoted.
        RoomKeysBody lenient = RoomKeysBody.fromJson(("{\"rooms\":{\"!r:x\":{\"sessions\":{\"s\":"
                + "{\"first_message_index\":\"" + SECRET + "\",\"forwarded_count\":0,\"is_verified\":false,"
                + "\"session_data\":{}}}}}}").getBytes(StandardCharsets.UTF_8));
        assertEquals(0, lenient.sessionCount(), "the wrong-typed entry is not kept as a session");
        assertEquals(1, lenient.malformed().size(), "the wrong-typed entry is reported");
        for (Throwable t = lenient.malformed().get(0); t != null; t = t.getCause()) {
            if (quotes(String.valueOf(t.getMessage())) || quotes(t.toString())) {
                leaks.add("RoomKeysBody.fromJson (wrong type): " + t);
            }
        }
        check("SecretStorageAccountData content (wrong type)", () -> SecretStorageAccountData.parse(
                "{\"m.secret_storage.default_key\":{\"key\":[\"" + SECRET + "\"]}}").defaultKey());
        check("RoomKeyExport.importFile (wrong type)", () -> importExport("[{\"room_id\":\"!r:x\",\"session_id\":\"s\","
                + "\"forwarding_curve25519_key_chain\":\"" + SECRET + "\"}]"));
        assertEquals(7 * malformed().size() + 3, checked);
        assertTrue(leaks.isEmpty(), String.join("\n", leaks));
    }

    @Test
    void aMalformedEventInABatchIsABadEventWithoutItsText() {
        try (PreparedBatch batch = PreparedBatch.create(1)) {
            batch.addEvent("{\"type\":\"m.room.encrypted\",\"event_id\":" + SECRET + "}", id -> null);
            BatchResults r = new BulkDecryptor(1).decrypt(batch);
            assertEquals(Status.BAD_EVENT, r.status(0));
            assertTrue(!quotes(r.error(0).getMessage()), r.error(0).getMessage());
        }
    }

    @Test
    void theMessageNamesLineColumnAndAShowableField() {
        PanolmException e = assertThrows(PanolmException.class,
                () -> CanonicalTree.parse("{\"content\": {\n  \"body\": \"a\",\n  \"body\": \"b\"}}"));
        assertEquals("BAD_MESSAGE_FORMAT: line 3, column 9, at content.body: not valid JSON (a syntax error or a "
                + "duplicate field)", e.getMessage());
        e = assertThrows(PanolmException.class, () -> CanonicalTree.parse("{\"" + SECRET + "\": x}"));
        assertTrue(e.getMessage().startsWith("BAD_MESSAGE_FORMAT: line 1, column 39: not valid JSON"), e.getMessage());
    }

    /** An export file (Element's format: PBKDF2-SHA-512, AES-256-CTR, HMAC-SHA-256) around any payload. */
    private void importExport(String payload) throws Exception {
        byte[] salt = new byte[16];
        byte[] iv = new byte[16];
        Arrays.fill(salt, (byte) 7);
        int rounds = 10;
        byte[] keys = Kdf.pbkdf2Sha512("pw".getBytes(StandardCharsets.UTF_8), salt, rounds, 64);
        byte[] ct = Aes.ctr64(Arrays.copyOf(keys, 32), iv, payload.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(1);
        body.write(salt);
        body.write(iv);
        body.write(ByteBuffer.allocate(4).putInt(rounds).array());
        body.write(ct);
        byte[] mac = Mac.hmacSha256(Arrays.copyOfRange(keys, 32, 64), body.toByteArray());
        body.write(mac);
        Path f = dir.resolve("keys.txt");
        Files.writeString(f, "-----BEGIN MEGOLM SESSION DATA-----\n"
                + Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(body.toByteArray())
                + "\n-----END MEGOLM SESSION DATA-----\n");
        try (Passphrase p = Passphrase.of("pw".toCharArray())) {
            RoomKeyExport.importFile(f, p, SessionFilter.all(), k -> { });
        } catch (RoomKeyExportException e) {
            assertEquals(RoomKeyExportException.Reason.BAD_PAYLOAD, e.reason(), e.getMessage());
            throw e;
        }
    }
}
