package org.panolm.ssss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.panolm.recovery.Passphrase;
import org.panolm.recovery.PassphraseInfo;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.testsupport.Peers;

/**
 * matrix-js-sdk (Element Web) against panolm: m.pbkdf2 derivation, secret-storage items in both
 * directions (including an IV whose low counter half wraps, which only agrees with WebCrypto's 64-bit
 * counter) and key checks.
 */
class SecretStorageJsSdkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "secrets/jssdk.mjs";

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    @Test
    void passphraseDerivationAgrees() {
        List<PassphraseInfo> infos = List.of(
                new PassphraseInfo("m.pbkdf2", "IuLnH7S85YtZmkkBJKwNUKxWF42g9O1H", 10, null),
                new PassphraseInfo("m.pbkdf2", PassphraseInfo.generate().salt(), 2000, null),
                new PassphraseInfo("m.pbkdf2", "sälz", 1234, 128),
                new PassphraseInfo("m.pbkdf2", "salt", 1000, 512));
        List<String> phrases = List.of("It's a secret to everybody", "Fröhliche Grüße 🔐", "x", "");
        List<Map<String, Object>> requests = new ArrayList<>();
        for (int i = 0; i < infos.size(); i++) {
            PassphraseInfo info = infos.get(i);
            Map<String, Object> r = new HashMap<>(Map.of("op", "derive", "passphrase", phrases.get(i),
                    "salt", info.salt(), "iterations", info.iterations()));
            if (info.bits() != null) {
                r.put("bits", info.bits());
            }
            requests.add(r);
        }
        JsonNode out = Peers.node(SCRIPT, requests);
        for (int i = 0; i < infos.size(); i++) {
            try (Passphrase p = Passphrase.of(phrases.get(i))) {
                assertEquals(out.get(i).get("key").asText(), b64(infos.get(i).deriveKey(p)), "derivation #" + i);
            }
        }
    }

    @Test
    void itemsDecryptBothWays() throws Exception {
        byte[] keyBytes = SecureRandomBytes.next(32);
        byte[] privateKey = SecureRandomBytes.next(32);
        String wrapIv = b64(HexFormat.of().parseHex("0123456789abcdeffffffffffffffffe"));
        List<String[]> items = List.of( // name, plaintext, iv for js (null = its own random IV)
                new String[] {SecretName.MEGOLM_BACKUP_V1, Base64.getEncoder().withoutPadding().encodeToString(privateKey), null},
                new String[] {SecretName.CROSS_SIGNING_MASTER, b64(privateKey), null},
                new String[] {"org.example.custom", "ünïcödé ✓ ".repeat(300), null},
                new String[] {"org.example.wrap", "crosses the low counter half's wrap: " + "x".repeat(100), wrapIv});
        List<Map<String, Object>> requests = new ArrayList<>();
        try (SecretStorageKey key = SecretStorageKey.fromBytes(keyBytes)) {
            List<EncryptedSecret> ours = new ArrayList<>();
            for (String[] item : items) {
                Map<String, Object> enc = new HashMap<>(Map.of("op", "encrypt", "data", item[1], "key", b64(keyBytes),
                        "name", item[0]));
                if (item[2] != null) {
                    enc.put("iv", item[2]);
                }
                requests.add(enc);
                byte[] iv = item[2] == null ? SecretStorage.randomIv() : Base64.getDecoder().decode(item[2]);
                EncryptedSecret mine = SecretStorage.encrypt(key, item[0], item[1].getBytes(StandardCharsets.UTF_8), iv);
                ours.add(mine);
                requests.add(Map.of("op", "decrypt", "item", mine, "key", b64(keyBytes), "name", item[0]));
            }
            JsonNode out = Peers.node(SCRIPT, requests);
            for (int i = 0; i < items.size(); i++) {
                String[] item = items.get(i);
                JsonNode theirs = out.get(2 * i);
                assertNull(theirs.get("error"));
                EncryptedSecret fromJs = JSON.treeToValue(theirs, EncryptedSecret.class);
                assertTrue(fromJs.mac().endsWith("="), "js-sdk writes padded base64");
                assertArrayEquals(item[1].getBytes(StandardCharsets.UTF_8), SecretStorage.decrypt(key, item[0], fromJs),
                        item[0]);
                if (item[2] != null) {
                    assertEquals(fromJs.ciphertext().replace("=", ""), ours.get(i).ciphertext(), "same IV, same bytes");
                }
                assertEquals(item[1], out.get(2 * i + 1).get("data").asText(), "js-sdk decrypts ours: " + item[0]);
            }
            assertArrayEquals(privateKey, SecretStorage.decryptPrivateKey(key, SecretName.MEGOLM_BACKUP_V1,
                    JSON.treeToValue(out.get(0), EncryptedSecret.class)));
            assertArrayEquals(privateKey, SecretStorage.decryptPrivateKey(key, SecretName.CROSS_SIGNING_MASTER,
                    JSON.treeToValue(out.get(2), EncryptedSecret.class)));
        }
    }

    @Test
    void keyChecksAgree() throws Exception {
        try (NewSecretStorageKey created = NewSecretStorageKey.generate("k");
             SecretStorageKey other = SecretStorageKey.generate()) {
            byte[] keyBytes = created.key().copyBytes();
            SecretStorageKeyDescription d = created.description();
            JsonNode out = Peers.node(SCRIPT, List.of(
                    Map.of("op", "keycheck", "key", b64(keyBytes), "iv", d.iv()),
                    Map.of("op", "checkkey", "key", b64(keyBytes), "info", d),
                    Map.of("op", "checkkey", "key", b64(other.copyBytes()), "info", d),
                    Map.of("op", "keycheck", "key", b64(keyBytes))));
            assertEquals(d.mac(), out.get(0).get("mac").asText().replace("=", ""));
            assertTrue(out.get(1).get("ok").asBoolean(), "js-sdk accepts our key description");
            assertFalse(out.get(2).get("ok").asBoolean());
            SecretStorageKeyDescription fromJs = new SecretStorageKeyDescription(SecretStorage.ALGORITHM, null, null,
                    out.get(3).get("iv").asText(), out.get(3).get("mac").asText());
            assertTrue(fromJs.matches(created.key()));
            assertFalse(fromJs.matches(other));
        }
    }
}
