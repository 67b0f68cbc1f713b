package org.panolm.hardening.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.panolm.recovery.RecoveryKey;

/** Security Keys as users type or paste them: a 32-byte key comes out (and encodes back), or a clean refusal. */
class RecoveryKeyFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        FuzzChecks.refusesCleanly(() -> {
            byte[] key = RecoveryKey.decode(text);
            assertEquals(RecoveryKey.KEY_LENGTH, key.length);
            assertArrayEquals(key, RecoveryKey.decode(RecoveryKey.encode(key)), "encode/decode round trip");
        });
    }
}
