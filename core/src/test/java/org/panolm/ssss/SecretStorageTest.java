package org.panolm.ssss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.recovery.Passphrase;
import org.panolm.recovery.PassphraseInfo;

/** docs/formats.md §10.5 vectors (matrix-rust-sdk tests, values cross-checked with matrix-js-sdk) and behaviour. */
class SecretStorageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUST_BASE58_KEY_HEX = "8da2453dc22b51355ad77ab75b3e9863af7f4a7bc4af0ce8865b57e2d02196d1";

    private static SecretStorageKey key(String hex) {
        return SecretStorageKey.fromBytes(HexFormat.of().parseHex(hex));
    }

    @Test
    void keyCheckVectors() {
        var fromPassphrase = new SecretStorageKeyDescription(SecretStorage.ALGORITHM, null,
                new PassphraseInfo("m.pbkdf2", "IuLnH7S85YtZmkkBJKwNUKxWF42g9O1H", 10, null),
                "gH2iNpiETFhApvW6/FFEJQ", "9Lw12m5SKDipNghdQXKjgpfdj1/K7HFI2brO+UWAGoM");
        try (Passphrase p = Passphrase.of("It's a secret to everybody");
             SecretStorageKey k = fromPassphrase.unlock(p, "rust")) {
            assertTrue(fromPassphrase.matches(k));
        }
        try (Passphrase wrong = Passphrase.of("It's a secret to nobody")) {
            assertStatus(Status.BAD_MAC, () -> fromPassphrase.unlock(wrong, "rust"));
        }
        // Padded base64, as matrix-js-sdk writes it.
        var fromBase58 = new SecretStorageKeyDescription(SecretStorage.ALGORITHM, null, null,
                "xv5b6/p3ExEw++wTyfSHEg==", "ujBBbXahnTAMkmPUX2/0+VTfUh63pGyVRuBcDMgmJC8=");
        try (SecretStorageKey k = key(RUST_BASE58_KEY_HEX); SecretStorageKey zero = SecretStorageKey.fromBytes(new byte[32])) {
            assertTrue(fromBase58.matches(k));
            assertFalse(fromBase58.matches(zero));
            assertFalse(fromPassphrase.matches(k));
            PanolmException e = assertThrows(PanolmException.class, () -> fromBase58.requireMatches(zero, "bmur2d9y"));
            assertEquals(Status.BAD_MAC, e.status());
            assertTrue(e.getMessage().contains("bmur2d9y"));
            // Zero key, zero IV.
            assertTrue(new SecretStorageKeyDescription(SecretStorage.ALGORITHM, null, null, "AAAAAAAAAAAAAAAAAAAAAA",
                    "HwRM9acFfsmgx1IlMgQI2n1pdsF6jVbAq9RIGTiIosQ").matches(zero));
        }
    }

    @Test
    void keyCheckEdgeCases() {
        try (SecretStorageKey k = key(RUST_BASE58_KEY_HEX)) {
            // Without iv or mac the spec says the key must be taken as valid.
            assertTrue(new SecretStorageKeyDescription(SecretStorage.ALGORITHM, null, null, null, null).matches(k));
            assertTrue(new SecretStorageKeyDescription(SecretStorage.ALGORITHM, null, null, "xv5b6/p3ExEw++wTyfSHEg", null).matches(k));
            // rust-sdk's invalid_key_info: a 14-byte IV, a 10-byte MAC, a 30-byte MAC.
            assertStatus(Status.BAD_KEY, () -> new SecretStorageKeyDescription(SecretStorage.ALGORITHM, null, null,
                    "AAAAAAAAAAAAAAAAAAA", "ujBBbXahnTAMkmPUX2/0+VTfUh63pGyVRuBcDMgmJC8").matches(k));
            assertStatus(Status.BAD_KEY, () -> new SecretStorageKeyDescription(SecretStorage.ALGORITHM, null, null,
                    "xv5b6/p3ExEw++wTyfSHEg", "AAAAAAAAAAAAAA").matches(k));
            assertStatus(Status.BAD_KEY, () -> new SecretStorageKeyDescription(SecretStorage.ALGORITHM, null, null,
                    "xv5b6/p3ExEw++wTyfSHEg", Base64.getEncoder().encodeToString(new byte[30])).matches(k));
            assertStatus(Status.BAD_BASE64, () -> new SecretStorageKeyDescription(SecretStorage.ALGORITHM, null, null,
                    "xv5b6/p3E!Ew++wTyfSHEg", "ujBBbXahnTAMkmPUX2/0+VTfUh63pGyVRuBcDMgmJC8").matches(k));
            assertStatus(Status.INVALID_ARGUMENT, () -> new SecretStorageKeyDescription("m.secret_storage.v2", null, null,
                    null, null).matches(k));
        }
    }

    @Test
    void encryptsTheSelfGeneratedVector() {
        byte[] iv = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
        try (SecretStorageKey zero = SecretStorageKey.fromBytes(new byte[32])) {
            EncryptedSecret s = SecretStorage.encrypt(zero, "m.cross_signing.master",
                    "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE".getBytes(StandardCharsets.UTF_8), iv);
            assertEquals(new EncryptedSecret("AAECAwQFBgcICQoLDA0ODw",
                    "nWGyL2YubyjJJjpvuC9WSEXYik/jGhvbf4oxHnJaW0d1vBMrY2GxddSUyA",
                    "CumbUTRl0Gp5uhdEjoUcqoZee21Vdh/gGVvsimPnAOM"), s);
            assertArrayEquals(filled(32, 1), SecretStorage.decryptPrivateKey(zero, SecretName.CROSS_SIGNING_MASTER, s));
            // Padded input, as matrix-js-sdk stores it.
            EncryptedSecret padded = new EncryptedSecret("AAECAwQFBgcICQoLDA0ODw==",
                    "nWGyL2YubyjJJjpvuC9WSEXYik/jGhvbf4oxHnJaW0d1vBMrY2GxddSUyA==",
                    "CumbUTRl0Gp5uhdEjoUcqoZee21Vdh/gGVvsimPnAOM=");
            assertArrayEquals(filled(32, 1), SecretStorage.decryptPrivateKey(zero, SecretName.CROSS_SIGNING_MASTER, padded));
            // The name is bound: another name fails the MAC, as does a flipped bit.
            assertStatus(Status.BAD_MAC, () -> SecretStorage.decrypt(zero, SecretName.CROSS_SIGNING_SELF_SIGNING, s));
            assertStatus(Status.BAD_MAC, () -> SecretStorage.decrypt(zero, SecretName.CROSS_SIGNING_MASTER,
                    new EncryptedSecret(s.iv(), "nWGyL2YubyjJJjpvuC9WSEXYik/jGhvbf4oxHnJaW0d1vBMrY2GxddSUyQ", s.mac())));
            assertStatus(Status.BAD_KEY, () -> SecretStorage.decrypt(zero, "x", new EncryptedSecret("AAEC", s.ciphertext(), s.mac())));
            assertStatus(Status.BAD_BASE64, () -> SecretStorage.decrypt(zero, "x", new EncryptedSecret(s.iv(), null, s.mac())));
        }
    }

    @Test
    void roundTripsPrivateKeysWithFreshIvs() {
        byte[] backupKey = HexFormat.of().parseHex(RUST_BASE58_KEY_HEX);
        try (NewSecretStorageKey created = NewSecretStorageKey.generate("Security Key")) {
            assertTrue(created.keyId().matches("[A-Za-z0-9]{32}"));
            assertEquals("m.secret_storage.key." + created.keyId(), created.eventType());
            assertTrue(created.description().matches(created.key()));
            EncryptedSecret a = SecretStorage.encryptPrivateKey(created.key(), SecretName.MEGOLM_BACKUP_V1, backupKey);
            EncryptedSecret b = SecretStorage.encryptPrivateKey(created.key(), SecretName.MEGOLM_BACKUP_V1, backupKey);
            assertFalse(a.iv().equals(b.iv()));
            for (EncryptedSecret s : new EncryptedSecret[] {a, b}) {
                byte[] iv = Base64.getDecoder().decode(s.iv());
                assertEquals(0, iv[8] & 0x80, "bit 63 of the IV is clear");
                assertFalse(s.iv().endsWith("=") || s.ciphertext().endsWith("=") || s.mac().endsWith("="));
                assertArrayEquals(backupKey, SecretStorage.decryptPrivateKey(created.key(), SecretName.MEGOLM_BACKUP_V1, s));
            }
            byte[] description = Base64.getDecoder().decode(created.description().iv());
            assertEquals(0, description[8] & 0x80);
        }
    }

    @Test
    void keysFromAPassphraseCarryTheirDerivation() throws Exception {
        try (Passphrase p = Passphrase.of("a phrase"); NewSecretStorageKey created = NewSecretStorageKey.fromPassphrase("phrase", p, 1000)) {
            SecretStorageKeyDescription d = created.description();
            String json = JSON.writeValueAsString(d);
            SecretStorageKeyDescription back = JSON.readValue(json, SecretStorageKeyDescription.class);
            assertEquals(d, back);
            assertTrue(json.contains("\"passphrase\":{\"algorithm\":\"m.pbkdf2\""), json);
            assertFalse(json.contains("bits"));
            try (SecretStorageKey again = SecretStorageKey.fromPassphrase(p, back.passphrase())) {
                assertTrue(back.matches(again));
                assertArrayEquals(created.key().copyBytes(), again.copyBytes());
            }
            assertEquals("{\"key\":\"" + created.keyId() + "\"}", JSON.writeValueAsString(created.asDefault()));
        }
    }

    @Test
    void securityKeysUnlockTheRustSdkDescription() {
        var description = new SecretStorageKeyDescription(SecretStorage.ALGORITHM, null, null,
                "xv5b6/p3ExEw++wTyfSHEg==", "ujBBbXahnTAMkmPUX2/0+VTfUh63pGyVRuBcDMgmJC8=");
        try (SecretStorageKey k = description.unlock("EsTj 3yST y93F SLpB jJsz eAXc 2XzA ygD3 w69H fGaN TKBj jXEd",
                "bmur2d9ypPUH1msSwCxQOJkuKRmJI55e")) {
            assertTrue(description.matches(k));
            assertEquals("EsTj 3yST y93F SLpB jJsz eAXc 2XzA ygD3 w69H fGaN TKBj jXEd", k.toRecoveryKey());
        }
        assertThrows(org.panolm.recovery.RecoveryKeyException.class,
                () -> SecretStorageKey.fromRecoveryKey("EsTj 3yST y93F SLpB jJsz eAXc 2XzA ygD3 w69H fGaN TKBj jXEe"));
        try (SecretStorageKey other = SecretStorageKey.generate()) {
            assertStatus(Status.BAD_MAC, () -> description.unlock(other.toRecoveryKey(), "bmur2d9y"));
        }
        try (Passphrase p = Passphrase.of("x")) {
            assertStatus(Status.INVALID_ARGUMENT, () -> description.unlock(p, "bmur2d9y"));
        }
    }

    @Test
    void keysAreHiddenAndUnusableAfterClose() {
        SecretStorageKey k = key(RUST_BASE58_KEY_HEX);
        assertFalse(k.toString().contains("8da2") || k.toString().toLowerCase().contains("jaj"));
        k.close();
        k.close();
        assertThrows(IllegalStateException.class, k::copyBytes);
        assertThrows(IllegalStateException.class, () -> SecretStorage.encrypt(k, "x", new byte[1]));
        assertStatus(Status.BAD_KEY, () -> SecretStorageKey.fromBytes(new byte[31]));
        assertStatus(Status.BAD_KEY, () -> SecretStorage.decodeKeyText("AAAA".getBytes(StandardCharsets.US_ASCII), "k"));
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    static void assertStatus(Status status, Runnable r) {
        PanolmException e = assertThrows(PanolmException.class, r::run);
        assertEquals(status, e.status(), e.getMessage());
    }
}
