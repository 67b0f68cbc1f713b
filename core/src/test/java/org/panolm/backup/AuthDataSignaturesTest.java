package org.panolm.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.backup.AuthDataSignatures.Signer;
import org.panolm.encoding.MatrixBase64;
import org.panolm.subtle.Ed25519;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.testsupport.Peers;

/** auth_data signatures: js-sdk's vector, vodozemac signing for us to check, libolm checking ours. */
class AuthDataSignaturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PUBLIC = "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo";

    /** matrix-js-sdk spec/test-utils/test-data: SIGNED_BACKUP_DATA and BOB_SIGNED_BACKUP_DATA. */
    @Test
    void jsSdkSignedBackupVectors() {
        BackupVersion alice = BackupVersion.fromJson(("{\"algorithm\":\"m.megolm_backup.v1.curve25519-aes-sha2\","
                + "\"version\":\"1\",\"auth_data\":{\"public_key\":\"" + PUBLIC + "\",\"signatures\":{"
                + "\"@alice:localhost\":{\"ed25519:test_device\":\"KDSNeumirTsd8piI0oVfv/wzg4J4HlEc7rs5XhODFcJ/YAcUdg65ajsZG+rLI0TQOSSGjorJqcrSiSB1HRSCAA\"}}}}")
                .getBytes());
        byte[] deviceKey = MatrixBase64.decode("YI/7vbGVLpGdYtuceQR8MSsKB/QjgfMXM1xqnn+0NWU", "device key");
        AuthDataSignatures.verifyDevice(alice.authData(), "@alice:localhost", "test_device", deviceKey);
        assertEquals(new AuthDataSignatures.Trust(Signer.DEVICE, "ed25519:test_device"), AuthDataSignatures.trust(
                alice.authData(), "@alice:localhost", null, Map.of("test_device", deviceKey)));
        var otherKey = new BackupAuthData("6Q6b15s4YM2jCs38pHiN8wiRkiuCcvpsM9S3/qm31Co", alice.authData().signatures(), Map.of());
        assertEquals(Status.BAD_SIGNATURE, assertThrows(PanolmException.class,
                () -> AuthDataSignatures.verifyDevice(otherKey, "@alice:localhost", "test_device", deviceKey)).status());
        // The master key J+5A... did not sign it: trust falls back to the device, and without one fails.
        byte[] master = MatrixBase64.decode("J+5An10v1vzZpAXTYFokD1/PEVccFnLC61EfRXit0UY", "master key");
        assertEquals(Status.BAD_SIGNATURE, assertThrows(PanolmException.class,
                () -> AuthDataSignatures.trust(alice.authData(), "@alice:localhost", master, Map.of())).status());

        var bob = new BackupAuthData("ZRuVWcWlDuvOwZRygccUCD4Avtnt130800I+WQNwwRY", Map.of("@bob:xyz",
                Map.of("ed25519:bob_device", "lDIMj3VC0WazE2FamGHpmbiqKf9Z4pO4qapZ5TL5BnD3c+dvb+2waOEd6pgay/pmrQ6MW4Eu2KDEpe1fnHc3BA")),
                Map.of());
        AuthDataSignatures.verifyDevice(bob, "@bob:xyz", "bob_device",
                MatrixBase64.decode("jmY0h8QS6Te6gxyjOmMc0eKOqmbAtXpVo4CCWFubk50", "bob device key"));
        try (var bobKey = BackupDecryptionKey.fromBase64("DwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=")) {
            assertTrue(bobKey.matches(bob));
        }
    }

    @Test
    void extraFieldsAreKeptAndSignedAndARoundTripThroughJsonStillVerifies() throws Exception {
        byte[] master = SecureRandomBytes.next(32);
        byte[] device = SecureRandomBytes.next(32);
        BackupAuthData legacy = BackupVersion.fromJson(("{\"algorithm\":\"m.megolm_backup.v1.curve25519-aes-sha2\","
                + "\"auth_data\":{\"public_key\":\"" + PUBLIC + "\",\"private_key_salt\":\"abc\","
                + "\"private_key_iterations\":500000}}").getBytes()).authData();
        assertEquals(2, legacy.other().size());
        BackupAuthData signed = AuthDataSignatures.signWithDevice(
                AuthDataSignatures.signWithMasterKey(legacy, "@u:hs", master), "@u:hs", "DEV", device);
        assertEquals(2, signed.signatures().get("@u:hs").size());
        BackupVersion version = BackupVersion.fromJson(BackupVersion.create(signed).toJson());
        AuthDataSignatures.verifyMasterKey(version.authData(), "@u:hs", Ed25519.publicKey(master));
        AuthDataSignatures.verifyDevice(version.authData(), "@u:hs", "DEV", Ed25519.publicKey(device));
        assertEquals(Signer.MASTER_KEY, AuthDataSignatures.trust(version.authData(), "@u:hs", Ed25519.publicKey(master),
                Map.of("DEV", Ed25519.publicKey(device))).signer());
        // Changing a field the signature covers, even an unknown one, breaks it.
        var tampered = new BackupAuthData(PUBLIC, signed.signatures(), Map.of("private_key_salt",
                JSON.readTree("\"abd\""), "private_key_iterations", JSON.readTree("500000")));
        assertEquals(Status.BAD_SIGNATURE, assertThrows(PanolmException.class,
                () -> AuthDataSignatures.trust(tampered, "@u:hs", Ed25519.publicKey(master),
                        Map.of("DEV", Ed25519.publicKey(device)))).status());
        assertEquals(Status.BAD_KEY, assertThrows(PanolmException.class, () -> AuthDataSignatures.trust(signed, "@u:hs",
                Ed25519.publicKey(master), Map.of(MatrixBase64.encode(Ed25519.publicKey(master)),
                        Ed25519.publicKey(device)))).status());
    }

    @Test
    void vodozemacSignsWithDeviceAndMasterKeyAndWeCheckBoth() {
        var auth = new BackupAuthData(PUBLIC);
        JsonNode out = Peers.node("backup/auth_data.mjs", Map.of("op", "sign", "auth_data", auth));
        String user = out.get("user_id").asText();
        Map<String, Map<String, String>> sigs = JSON.convertValue(out.get("signatures"),
                new com.fasterxml.jackson.core.type.TypeReference<>() {});
        var signed = new BackupAuthData(PUBLIC, sigs, Map.of());
        byte[] master = MatrixBase64.decode(out.get("master_key").asText(), "master key");
        byte[] device = MatrixBase64.decode(out.get("device_key").asText(), "device key");
        AuthDataSignatures.verifyMasterKey(signed, user, master);
        AuthDataSignatures.verifyDevice(signed, user, out.get("device_id").asText(), device);
        assertEquals(Signer.DEVICE, AuthDataSignatures.trust(signed, user, null,
                Map.of(out.get("device_id").asText(), device)).signer());
        assertEquals(Status.BAD_SIGNATURE, assertThrows(PanolmException.class,
                () -> AuthDataSignatures.verifyMasterKey(signed, user, device)).status());
    }

    @Test
    void libolmChecksOurSignatures() throws Exception {
        byte[] master = SecureRandomBytes.next(32);
        byte[] device = SecureRandomBytes.next(32);
        BackupAuthData auth = new BackupAuthData(PUBLIC, Map.of(), Map.of("note", JSON.readTree("{\"z\":1,\"a\":\"é\"}")));
        BackupAuthData signed = AuthDataSignatures.signWithDevice(
                AuthDataSignatures.signWithMasterKey(auth, "@me:hs", master), "@me:hs", "MYDEV", device);
        String masterId = "ed25519:" + MatrixBase64.encode(Ed25519.publicKey(master));
        JsonNode out = Peers.node("backup/auth_data.mjs", Map.of("op", "verify", "auth_data", signed, "checks", List.of(
                Map.of("user_id", "@me:hs", "key_id", masterId, "public_key", MatrixBase64.encode(Ed25519.publicKey(master))),
                Map.of("user_id", "@me:hs", "key_id", "ed25519:MYDEV", "public_key", MatrixBase64.encode(Ed25519.publicKey(device))),
                Map.of("user_id", "@me:hs", "key_id", "ed25519:MYDEV", "public_key", MatrixBase64.encode(Ed25519.publicKey(master))))));
        assertEquals(List.of(true, true, false), JSON.convertValue(out.get("results"),
                new com.fasterxml.jackson.core.type.TypeReference<List<Boolean>>() {}));
        assertTrue(signed.other().containsKey("note"));
    }
}
