package org.panolm.crosssigning;

import static org.panolm.testing.Trees.tree;

import org.panolm.internal.json.SignedTree;
import org.panolm.internal.json.CanonicalTree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.json.SignedTree;
import org.panolm.internal.json.CanonicalTree;
import org.panolm.json.CanonicalJson;
import org.panolm.json.JsonSigning;
import org.panolm.subtle.Ed25519;

/** Key objects, signing and chains; matrix-js-sdk's generated test data as known answers (docs/formats.md §10.9). */
class CrossSigningTest {
    static final String ALICE = "@alice:localhost";

    static JsonNode jsSdk() throws IOException {
        try (InputStream in = CrossSigningTest.class.getResourceAsStream("/org/panolm/json/js-sdk-alice.json")) {
            return CanonicalTree.parse(in.readAllBytes());
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void jsSdkSeedsGiveJsSdkKeysAndSignatures() throws IOException {
        JsonNode data = jsSdk();
        try (var own = OwnCrossSigning.fromSeeds(ALICE, ascii(data.get("master_seed_ascii").textValue()),
                ascii(data.get("self_signing_seed_ascii").textValue()), ascii(data.get("user_signing_seed_ascii").textValue()))) {
            UserCrossSigningKeys keys = own.publicKeys();
            assertEquals("J+5An10v1vzZpAXTYFokD1/PEVccFnLC61EfRXit0UY", keys.master().publicKey());
            assertEquals("aU2+2CyXQTCuDcmWW0EL2bhJ6PdjFW2LbAsbHqf02AY", keys.selfSigning().publicKey());
            assertEquals("g5TC/zjQXyZYuDLZv7a41z5fFVrXpYPypG//AFQj8hY", keys.userSigning().publicKey());
            assertEquals(data.get("self_signing_key").get("signatures"), tree(keys.selfSigning().json()).get("signatures"));
            assertEquals(data.get("user_signing_key").get("signatures"), tree(keys.userSigning().json()).get("signatures"));
            assertEquals(data.get("master_key"), tree(keys.master().json()));
        }
        var parsed = new UserCrossSigningKeys(CrossSigningKey.fromJson(data.get("master_key").toString(), KeyUsage.MASTER),
                CrossSigningKey.fromJson(data.get("self_signing_key").toString(), KeyUsage.SELF_SIGNING),
                CrossSigningKey.fromJson(data.get("user_signing_key").toString(), KeyUsage.USER_SIGNING));
        CrossSigningChains.verifySelfSigningKey(parsed);
        CrossSigningChains.verifyUserSigningKey(parsed);
        // js-sdk's test device is self-signed but not cross-signed.
        DeviceKeys device = DeviceKeys.fromJson(data.get("device_keys").toString());
        assertTrue(device.isSelfSigned());
        var e = assertThrows(PanolmException.class, () -> CrossSigningChains.verifyDevice(device, parsed));
        assertTrue(e.getMessage().contains("self-signing key"), e.getMessage());
        // js-sdk's backup auth_data, signed by that device.
        assertTrue(BackupAuthDataTrust.check(data.get("backup_auth_data").toString(), ALICE, parsed, false,
                Map.of("test_device", device), Set.of("test_device")).trusted());
    }

    @Test
    void generatedIdentityUploadsAndSignsItsDevices() {
        try (var own = OwnCrossSigning.generate("@me:x")) {
            ObjectNode body = tree(own.uploadBody().toJson());
            assertEquals(Set.of("master_key", "self_signing_key", "user_signing_key"), Set.copyOf(iter(body.fieldNames())));
            var keys = UserCrossSigningKeys.fromKeysQuery(queryResponse("@me:x", body), "@me:x").orElseThrow();
            CrossSigningChains.verifySelfSigningKey(keys);
            CrossSigningChains.verifyUserSigningKey(keys);

            byte[] deviceSeed = new byte[32];
            deviceSeed[0] = 7;
            ObjectNode device = deviceKeys("@me:x", "DEV1", deviceSeed);
            ObjectNode signed = tree(own.signDevice(device.toString()));
            CrossSigningChains.verifyDevice(DeviceKeys.fromJson(signed.toString()), keys);
            // Not ours, or not self-signed: refused.
            assertEquals(Status.INVALID_ARGUMENT, assertThrows(PanolmException.class,
                    () -> own.signDevice(deviceKeys("@other:x", "DEV1", deviceSeed).toString())).status());
            ObjectNode unsigned = device.deepCopy();
            unsigned.remove("signatures");
            assertEquals(Status.BAD_SIGNATURE, assertThrows(PanolmException.class, () -> own.signDevice(unsigned.toString())).status());
            assertEquals(Status.INVALID_ARGUMENT, assertThrows(PanolmException.class, () -> own.signUser(keys.master())).status());
        }
    }

    @Test
    void chainBreaksAreNamed() {
        try (var own = OwnCrossSigning.generate("@me:x"); var other = OwnCrossSigning.generate("@me:x")) {
            UserCrossSigningKeys mine = own.publicKeys();
            // A self-signing key signed by some other master key.
            var mixed = new UserCrossSigningKeys(mine.master(), other.publicKeys().selfSigning(), null);
            var e = assertThrows(PanolmException.class, () -> CrossSigningChains.verifySelfSigningKey(mixed));
            assertEquals(Status.BAD_SIGNATURE, e.status());
            assertTrue(e.getMessage().contains("self_signing key of @me:x is not signed by the master key"), e.getMessage());
            assertThrows(PanolmException.class, () -> CrossSigningChains.verifyUserSigningKey(mixed));
            // A device signed by the wrong self-signing key.
            byte[] seed = new byte[32];
            DeviceKeys device = DeviceKeys.fromJson(other.signDevice(deviceKeys("@me:x", "DEV1", seed).toString()));
            assertFalse(CrossSigningChains.isDeviceCrossSigned(device, mine));
            DeviceKeys good = DeviceKeys.fromJson(own.signDevice(deviceKeys("@me:x", "DEV1", seed).toString()));
            assertTrue(CrossSigningChains.isDeviceCrossSigned(good, mine));
            // A device whose id is the master key is refused outright.
            DeviceKeys impostor = DeviceKeys.fromJson(own.signDevice(deviceKeys("@me:x", mine.master().publicKey(), seed).toString()));
            assertEquals(Status.BAD_KEY, assertThrows(PanolmException.class,
                    () -> CrossSigningChains.verifyDevice(impostor, mine)).status());
        }
    }

    @Test
    void malformedKeyObjectsAreRefusedPrecisely() {
        String pub = MatrixBase64.encode(Ed25519.publicKey(new byte[32]));
        assertFormat("{\"user_id\":\"@a:x\",\"usage\":[\"self_signing\"],\"keys\":{\"ed25519:" + pub + "\":\"" + pub + "\"}}", "usage");
        assertFormat("{\"user_id\":\"@a:x\",\"usage\":[\"master\"],\"keys\":{}}", "exactly one key");
        assertFormat("{\"user_id\":\"@a:x\",\"usage\":[\"master\"],\"keys\":{\"ed25519:abc\":\"" + pub + "\"}}", "does not name");
        assertFormat("{\"usage\":[\"master\"],\"keys\":{\"ed25519:" + pub + "\":\"" + pub + "\"}}", "user_id");
        assertFormat("{\"user_id\":\"@a:x\",\"usage\":\"master\",\"keys\":{\"ed25519:" + pub + "\":\"" + pub + "\"}}", "usage");
        var shortKey = assertThrows(PanolmException.class, () -> CrossSigningKey.fromJson(
                "{\"user_id\":\"@a:x\",\"usage\":[\"master\"],\"keys\":{\"ed25519:AAAA\":\"AAAA\"}}", KeyUsage.MASTER));
        assertEquals(Status.BAD_KEY, shortKey.status());
        // A /keys/query entry listed under another user.
        ObjectNode resp = (ObjectNode) CanonicalTree.parse("{\"master_keys\":{\"@b:x\":{\"user_id\":\"@a:x\",\"usage\":[\"master\"],"
                + "\"keys\":{\"ed25519:" + pub + "\":\"" + pub + "\"}}}}");
        assertEquals(Status.BAD_MESSAGE_FORMAT,
                assertThrows(PanolmException.class, () -> UserCrossSigningKeys.fromKeysQuery(resp, "@b:x")).status());
        assertTrue(UserCrossSigningKeys.fromKeysQuery(resp, "@c:x").isEmpty());
    }

    @Test
    void secretsStayHiddenAndClosedKeysRefuseUse() {
        var key = CrossSigningPrivateKey.fromSeed("@a:x", KeyUsage.MASTER, new byte[32]);
        String seedB64 = key.exportSeedBase64();
        assertFalse(key.toString().contains(seedB64));
        key.close();
        key.close();
        assertThrows(IllegalStateException.class, key::exportSeedBase64);
        assertThrows(IllegalStateException.class, () -> key.sign(CanonicalTree.parse("{}").toString()));
        assertEquals(Status.BAD_KEY, assertThrows(PanolmException.class,
                () -> CrossSigningPrivateKey.fromSeed("@a:x", KeyUsage.MASTER, new byte[31])).status());
    }

    @Test
    void toStringsNeverShowSeeds() {
        try (var own = OwnCrossSigning.generate("@a:x")) {
            String[] seeds = {own.master().exportSeedBase64(), own.selfSigning().exportSeedBase64(),
                    own.userSigning().exportSeedBase64()};
            String shown = own + " " + own.master() + own.selfSigning() + own.userSigning() + own.publicKeys()
                    + own.uploadBody() + own.uploadBody().toJson();
            for (String seed : seeds) {
                assertFalse(shown.contains(seed));
                assertFalse(shown.contains(seed.substring(0, 16)));
            }
        }
    }

    static void assertFormat(String json, String mention) {
        var e = assertThrows(PanolmException.class, () -> CrossSigningKey.fromJson(CanonicalTree.parse(json).toString(), KeyUsage.MASTER));
        assertEquals(Status.BAD_MESSAGE_FORMAT, e.status(), json);
        assertTrue(e.getMessage().contains(mention), e.getMessage());
    }

    static ObjectNode deviceKeys(String user, String device, byte[] seed) {
        ObjectNode d = (ObjectNode) CanonicalTree.parse("{}");
        d.put("user_id", user).put("device_id", device);
        d.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2").add("m.megolm.v1.aes-sha2");
        d.putObject("keys").put("ed25519:" + device, MatrixBase64.encode(Ed25519.publicKey(seed)))
                .put("curve25519:" + device, MatrixBase64.encode(new byte[32]));
        return SignedTree.sign(d, user, device, seed);
    }

    static ObjectNode queryResponse(String user, ObjectNode upload) {
        ObjectNode r = (ObjectNode) CanonicalTree.parse("{}");
        r.putObject("master_keys").set(user, upload.get("master_key"));
        r.putObject("self_signing_keys").set(user, upload.get("self_signing_key"));
        r.putObject("user_signing_keys").set(user, upload.get("user_signing_key"));
        return r;
    }

    static <T> java.util.List<T> iter(java.util.Iterator<T> it) {
        java.util.List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
