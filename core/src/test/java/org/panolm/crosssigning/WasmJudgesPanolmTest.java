package org.panolm.crosssigning;

import static org.panolm.testing.Trees.tree;
import org.panolm.internal.json.SignedTree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.panolm.encoding.MatrixBase64;
import static org.panolm.testing.Trees.tree;
import org.panolm.internal.json.SignedTree;
import org.panolm.json.JsonSigning;
import org.panolm.subtle.Ed25519;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.testsupport.Peers;

/**
 * The other direction: cross-signing keys and a device made and signed by panolm, judged by
 * matrix-sdk-crypto-wasm (ruma + vodozemac). It must accept panolm's identity and see the device as
 * cross-signed by its owner; its own user-signing signature over panolm's master key must verify in panolm.
 */
class WasmJudgesPanolmTest {
    static final String USER = "@panolm:example.org";

    static ObjectNode device(String deviceId, byte[] seed) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("user_id", USER).put("device_id", deviceId);
        d.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2").add("m.megolm.v1.aes-sha2");
        d.putObject("keys").put("ed25519:" + deviceId, MatrixBase64.encode(Ed25519.publicKey(seed)))
                .put("curve25519:" + deviceId, MatrixBase64.encode(SecureRandomBytes.next(32)));
        return SignedTree.sign(d, USER, deviceId, seed);
    }

    static JsonNode judge(UserCrossSigningKeys keys, ObjectNode device) {
        return Peers.node("verify/keys_judge.mjs", Map.of("user_id", USER, "device_keys", device,
                "master_key", tree(keys.master().json()), "self_signing_key", tree(keys.selfSigning().json())));
    }

    @Test
    void wasmAcceptsPanolmCrossSigningAndSignsItsMasterKey() {
        try (var own = OwnCrossSigning.generate(USER)) {
            UserCrossSigningKeys keys = own.publicKeys();
            JsonNode verdict = judge(keys, tree(own.signDevice(device("PANDEV", SecureRandomBytes.next(32)).toString())));
            assertTrue(verdict.get("identity_known").booleanValue(), verdict.toString());
            assertTrue(verdict.get("device_known").booleanValue(), verdict.toString());
            assertTrue(verdict.get("cross_signed_by_owner").booleanValue(), "wasm accepts panolm's SSK signature");

            // wasm's user-signing signature over our master key verifies in panolm through wasm's own chain.
            var judgeKeys = new UserCrossSigningKeys(CrossSigningKey.fromJson(verdict.get("own_master_key").toString(), KeyUsage.MASTER),
                    null, CrossSigningKey.fromJson(verdict.get("own_user_signing_key").toString(), KeyUsage.USER_SIGNING));
            JsonNode signedMaster = verdict.get("signature_upload").get(USER).get(keys.master().publicKey());
            var ourKeysAsJudged = new UserCrossSigningKeys(CrossSigningKey.fromJson(signedMaster.toString(), KeyUsage.MASTER),
                    keys.selfSigning(), null);
            CrossSigningChains.verifyUser(ourKeysAsJudged, judgeKeys);
        }
    }

    @Test
    void wasmRefusesADeviceSignedByAnotherSelfSigningKey() {
        try (var own = OwnCrossSigning.generate(USER); var other = OwnCrossSigning.generate(USER)) {
            JsonNode verdict = judge(own.publicKeys(), tree(other.signDevice(device("PANDEV", SecureRandomBytes.next(32)).toString())));
            assertTrue(verdict.get("device_known").booleanValue(), verdict.toString());
            assertFalse(verdict.get("cross_signed_by_owner").booleanValue());
            assertFalse(CrossSigningChains.isDeviceCrossSigned(DeviceKeys.fromJson(
                    other.signDevice(device("PANDEV", new byte[32]).toString())), own.publicKeys()), "and so does panolm");
        }
    }

    @Test
    void wasmRefusesASelfSigningKeyNotSignedByTheMaster() {
        try (var own = OwnCrossSigning.generate(USER); var other = OwnCrossSigning.generate(USER)) {
            var mixed = new UserCrossSigningKeys(own.publicKeys().master(), other.publicKeys().selfSigning(), null);
            JsonNode verdict = judge(mixed, tree(other.signDevice(device("PANDEV", SecureRandomBytes.next(32)).toString())));
            assertFalse(verdict.get("cross_signed_by_owner").booleanValue(), verdict.toString());
            assertFalse(verdict.get("identity_known").booleanValue(), "ruma drops an identity whose SSK the MSK did not sign");
            assertEquals(false, CrossSigningChains.isDeviceCrossSigned(DeviceKeys.fromJson(
                    other.signDevice(device("PANDEV", new byte[32]).toString())), mixed));
        }
    }
}
