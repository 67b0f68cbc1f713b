package org.panolm.hardening.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.megolm.ExportedSessionKey;
import org.panolm.megolm.SessionKey;

/**
 * Megolm session keys as they arrive in {@code m.room_key} and {@code m.forwarded_room_key} events: either a
 * key of the exact format comes out, or a {@link PanolmException} with a key status; never another
 * exception, and the text of the key never reaches {@code toString}.
 */
class SessionKeyFuzzTest {
    private static final EnumSet<Status> EXPECTED = EnumSet.of(Status.BAD_BASE64, Status.BAD_KEY, Status.BAD_VERSION);

    @FuzzTest(maxDuration = "30s")
    void sharingFormat(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            SessionKey key = SessionKey.fromBase64(text);
            assertEquals(SessionKey.LENGTH, key.bytes().length);
            assertEquals(SessionKey.VERSION, key.bytes()[0]);
            assertFalse(key.toString().contains(key.toBase64().substring(8, 180)), "toString shows the ratchet");
        } catch (PanolmException e) {
            assertTrue(EXPECTED.contains(e.status()), e.getMessage());
        }
    }

    @FuzzTest(maxDuration = "30s")
    void exportFormat(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            ExportedSessionKey key = ExportedSessionKey.fromBase64(text);
            assertEquals(ExportedSessionKey.LENGTH, key.bytes().length);
            assertFalse(key.toString().contains(key.toBase64().substring(8, 170)), "toString shows the ratchet");
        } catch (PanolmException e) {
            assertTrue(EXPECTED.contains(e.status()), e.getMessage());
        }
    }
}
