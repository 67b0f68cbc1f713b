package org.panolm.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ExportedRoomKeyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsTheRustSdkExportVectorAndHidesTheKey() throws Exception {
        String json = """
            {"algorithm":"m.megolm.v1.aes-sha2","room_id":"!test:localhost","sender_key":"cKQkLU8izjY3tpLVPiR4PDeeCEKtaDiAGiQH+UbZm2w","session_id":"8sdNGgmLft8osylLK9ij3IotBLyQQufe/KngiW4Dpq0","session_key":"AQAAAABBKNS1bA5X+Py5c6YP+RKtjHAtNznKzonSmyciDY9/6IEAcuOpsNc/LC46lOMMnZerWc7LoT8VjY6IzBETBEe0DzYu4F2UZHmNAaGNgHyiEXtruJ2Y9EhaQm10VrgOhhN4NN6UEYVrI4PFSM88BoDiP8bElfD2qnNa4zIfP2KlxvLHTRoJi37fKLMpSyvYo9yKLQS8kELn3vyp4IluA6at","sender_claimed_keys":{"ed25519":"wJ7DzYIlwFghczuxFG7F4ugAK3IFjpSaC74MzLFC6ig"},"forwarding_curve25519_key_chain":[],"m.shared_history":true,"extra":1}""";
        ExportedRoomKey k = JSON.readValue(json, ExportedRoomKey.class);
        assertEquals("!test:localhost", k.roomId());
        assertEquals(Boolean.TRUE, k.sharedHistory());
        assertEquals(k.sessionId(), k.exportedSessionKey().sessionId());
        assertFalse(k.toString().contains(k.sessionKey().substring(0, 20)));
        String out = JSON.writeValueAsString(k);
        assertTrue(out.contains("\"shared_history\":true"));
        assertEquals(k, JSON.readValue(out, ExportedRoomKey.class));
    }
}
