package org.panolm.hardening.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.CharConversionException;
import java.io.IOException;
import java.util.EnumSet;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.export.ExportedRoomKey;

/**
 * One entry of a key export or a backup's session data, from JSON of any shape: Jackson either refuses it or
 * gives a record whose session key decodes or fails with a key status; the record's {@code toString} never
 * shows the session key.
 */
class ExportedRoomKeyFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EnumSet<Status> EXPECTED = EnumSet.of(Status.BAD_BASE64, Status.BAD_KEY, Status.BAD_VERSION);

    @FuzzTest(maxDuration = "30s")
    void parseAndDecode(byte[] input) {
        ExportedRoomKey key;
        try {
            key = JSON.readValue(input, ExportedRoomKey.class);
        } catch (JacksonException | CharConversionException e) {
            // Malformed JSON or wrong types; or bytes that Jackson's encoding detection takes for bad
            // UTF-32 (found by this fuzzer: not a JacksonException, so parsers of raw bytes must catch it).
            return;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        if (key == null) return; // the JSON literal null
        String secret = key.sessionKey();
        if (secret != null && secret.length() >= 8 && !inPublicFields(key, secret)) {
            assertFalse(key.toString().contains(secret), "toString shows the session key");
        }
        try {
            key.exportedSessionKey();
        } catch (PanolmException e) {
            assertTrue(EXPECTED.contains(e.status()), e.getMessage());
        }
    }

    /** The same text in a public field (room, session id, sender key) is shown legitimately. */
    private static boolean inPublicFields(ExportedRoomKey key, String secret) {
        for (String field : new String[] {key.roomId(), key.sessionId(), key.senderKey()}) {
            if (field != null && field.contains(secret)) return true;
        }
        return false;
    }
}
