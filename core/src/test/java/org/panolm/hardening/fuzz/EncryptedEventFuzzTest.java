package org.panolm.hardening.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.panolm.Status;
import org.panolm.megolm.BulkDecryptor;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.MegolmOutboundSession;
import org.panolm.megolm.PreparedBatch;

/**
 * {@code m.room.encrypted} event JSON from /sync, through batch decryption with a known session (the seed
 * inputs are events of it): every event takes its place in the results with a status; none throws.
 */
class EncryptedEventFuzzTest {
    private static final byte[] RATCHET = new byte[128];
    private static final byte[] SEED = new byte[32];

    static {
        for (int i = 0; i < 128; i++) RATCHET[i] = (byte) i;
        java.util.Arrays.fill(SEED, (byte) 0x42);
    }

    @FuzzTest(maxDuration = "30s")
    void batchOfOneEvent(byte[] input) {
        String json = new String(input, StandardCharsets.UTF_8);
        try (var sender = MegolmOutboundSession.fromParts(RATCHET, 0, SEED);
             var session = MegolmInboundSession.create(sender.sessionKey());
             var batch = PreparedBatch.create(2)) {
            Map<String, MegolmInboundSession> sessions = Map.of(session.sessionId(), session);
            batch.addEvent(json, "!r:x", sessions::get);
            batch.addEvent(json, "!r:x", sessions::get); // the same event twice is not a replay
            var results = new BulkDecryptor(1).decrypt(batch);
            assertEquals(2, results.size());
            Status first = results.status(0);
            assertEquals(first, results.status(1), "the same event decrypts the same way twice");
            if (first == Status.OK) assertTrue(results.plaintextLength(0) >= 0);
            else assertTrue(results.error(0).getMessage() != null);
        }
    }
}
