package org.panolm.ssss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panolm.ssss.SecretStorageTest.assertStatus;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.panolm.Status;

class SecretStorageAccountDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsEveryShapeAndDecrypts() throws Exception {
        byte[] backupKey = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        try (NewSecretStorageKey created = NewSecretStorageKey.generate(null)) {
            EncryptedSecret secret = SecretStorage.encryptPrivateKey(created.key(), SecretName.MEGOLM_BACKUP_V1, backupKey);
            Map<String, Object> byType = Map.of(
                    DefaultKeyContent.EVENT_TYPE, created.asDefault(),
                    created.eventType(), created.description(),
                    SecretName.MEGOLM_BACKUP_V1, EncryptedSecretContent.of(created.keyId(), secret),
                    SecretName.CROSS_SIGNING_MASTER, Map.of("encrypted", Map.of()),
                    "m.direct", Map.of());
            List<Map<String, Object>> events = byType.entrySet().stream()
                    .map(e -> Map.of("type", e.getKey(), "content", e.getValue())).toList();
            List<String> shapes = List.of(
                    JSON.writeValueAsString(byType),
                    JSON.writeValueAsString(events),
                    JSON.writeValueAsString(Map.of("events", events)),
                    JSON.writeValueAsString(Map.of("next_batch", "s1", "account_data", Map.of("events", events))));
            for (String shape : shapes) {
                SecretStorageAccountData data = SecretStorageAccountData.parse(shape);
                var def = data.defaultKey();
                assertEquals(created.keyId(), def.getKey());
                assertTrue(def.getValue().matches(created.key()));
                assertTrue(data.secret(SecretName.CROSS_SIGNING_MASTER).isEmpty(), "an emptied secret is absent");
                byte[] text = data.decryptSecret(SecretName.MEGOLM_BACKUP_V1, created.keyId(), created.key());
                assertArrayEquals(backupKey, SecretStorage.decodeKeyText(text, "backup key"));
            }
            SecretStorageAccountData data = SecretStorageAccountData.parse(shapes.get(0));
            try (SecretStorageKey wrong = SecretStorageKey.generate()) {
                assertStatus(Status.BAD_MAC, () -> data.decryptSecret(SecretName.MEGOLM_BACKUP_V1, created.keyId(), wrong));
            }
            assertStatus(Status.UNKNOWN_SESSION,
                    () -> data.decryptSecret(SecretName.CROSS_SIGNING_MASTER, created.keyId(), created.key()));
            assertStatus(Status.UNKNOWN_SESSION, () -> data.decryptSecret(SecretName.MEGOLM_BACKUP_V1, "nope", created.key()));
        }
    }

    @Test
    void malformedInputIsNamed() {
        assertStatus(Status.BAD_EVENT, () -> SecretStorageAccountData.parse("[{\"content\":{}}]"));
        assertStatus(Status.BAD_EVENT, () -> SecretStorageAccountData.parse("[{\"type\":\"m.x\",\"content\":3}]"));
        assertStatus(Status.BAD_EVENT, () -> SecretStorageAccountData.parse("{not json"));
        assertStatus(Status.BAD_EVENT, () -> SecretStorageAccountData.parse("42"));
        assertStatus(Status.UNKNOWN_SESSION, () -> SecretStorageAccountData.parse("{}").defaultKey());
        assertStatus(Status.BAD_EVENT, () -> SecretStorageAccountData.parse(
                "{\"m.secret_storage.default_key\":{\"key\":[1]}}").defaultKeyId());
    }
}
