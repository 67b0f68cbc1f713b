package org.panolm.hardening.fuzz;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.panolm.ssss.SecretStorageAccountData;
import org.panolm.ssss.SecretStorageKey;

/**
 * Secret-storage account data (key descriptions and encrypted secrets) as the server returns it, and the
 * decryption of every secret it names with a fixed key: a secret or a clean refusal.
 */
class SecretStorageFuzzTest {
    private static final byte[] KEY = new byte[32];

    static {
        for (int i = 0; i < 32; i++) KEY[i] = (byte) (64 + i);
    }

    @FuzzTest(maxDuration = "30s")
    void parseAndDecrypt(byte[] input) {
        String json = new String(input, StandardCharsets.UTF_8);
        FuzzChecks.refusesCleanly(() -> {
            SecretStorageAccountData data = SecretStorageAccountData.parse(json);
            try (var key = SecretStorageKey.fromBytes(KEY.clone())) {
                for (String type : data.eventTypes()) {
                    if (type.startsWith("m.secret_storage.key.")) continue;
                    FuzzChecks.refusesCleanly(() -> data.decryptSecret(type, "key", key));
                }
            }
        });
    }
}
