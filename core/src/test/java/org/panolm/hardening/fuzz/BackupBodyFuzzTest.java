package org.panolm.hardening.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.panolm.backup.BackupDecryptionKey;
import org.panolm.backup.RoomKeysBody;
import org.panolm.backup.RestoreResult;

/**
 * A {@code GET /room_keys/keys} body from the server, restored with a fixed backup key (the one the seed
 * inputs were made for, by libolm): parse errors are refusals, and every entry ends as a key or a
 * reported failure; nothing is thrown per entry.
 */
class BackupBodyFuzzTest {
    private static final byte[] KEY = new byte[32];

    static {
        for (int i = 0; i < 32; i++) KEY[i] = (byte) (32 + i);
    }

    @FuzzTest(maxDuration = "30s")
    void restore(byte[] input) {
        FuzzChecks.refusesCleanly(() -> {
            RoomKeysBody body = RoomKeysBody.fromJson(input);
            try (var key = BackupDecryptionKey.fromBytes(KEY.clone())) {
                RestoreResult result = key.decrypt(body, org.panolm.keystore.SessionFilter.all(), 1);
                assertEquals(body.sessionCount() + body.malformed().size(),
                        result.keys().size() + result.failures().size(), "every entry is restored or reported");
            }
        });
    }
}
