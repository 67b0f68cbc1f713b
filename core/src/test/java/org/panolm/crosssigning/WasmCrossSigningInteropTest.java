package org.panolm.crosssigning;

import static org.panolm.testing.Trees.tree;

import org.panolm.internal.json.SignedTree;
import org.panolm.internal.json.CanonicalTree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.json.SignedTree;
import org.panolm.internal.json.CanonicalTree;
import org.panolm.json.CanonicalJson;
import org.panolm.json.JsonSigning;
import org.panolm.testsupport.Peers;

/**
 * Cross-signing made by matrix-sdk-crypto-wasm (an {@code OlmMachine} bootstrapping cross-signing): every
 * signature in its upload bodies verifies in panolm, panolm reproduces them byte for byte from the exported
 * seeds, a single changed byte fails, and its signed backup {@code auth_data} is trusted by panolm's rules.
 */
class WasmCrossSigningInteropTest {
    static final String ALICE = "@alice:example.org";
    static JsonNode wasm;
    static UserCrossSigningKeys aliceKeys;
    static DeviceKeys aliceDevice;

    @BeforeAll
    static void bootstrap() {
        wasm = Peers.node("verify/cross_signing.mjs", Map.of("user_id", ALICE, "device_id", "ALICEDEV",
                "backup_public_key", "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo"));
        aliceKeys = new UserCrossSigningKeys(CrossSigningKey.fromJson(wasm.get("master_key").toString(), KeyUsage.MASTER),
                CrossSigningKey.fromJson(wasm.get("self_signing_key").toString(), KeyUsage.SELF_SIGNING),
                CrossSigningKey.fromJson(wasm.get("user_signing_key").toString(), KeyUsage.USER_SIGNING));
        aliceDevice = DeviceKeys.fromJson(wasm.get("device_keys").toString());
    }

    /** Every (object, signer entity, key id, public key) signature wasm produced. */
    static List<Object[]> allSignatures() {
        String msk = aliceKeys.master().publicKey();
        String ssk = aliceKeys.selfSigning().publicKey();
        String dev = aliceDevice.ed25519Key();
        List<Object[]> out = new ArrayList<>();
        out.add(new Object[] {wasm.get("self_signing_key"), msk, msk});
        out.add(new Object[] {wasm.get("user_signing_key"), msk, msk});
        out.add(new Object[] {wasm.get("master_key"), msk, msk});
        out.add(new Object[] {wasm.get("master_key"), "ALICEDEV", dev});
        out.add(new Object[] {wasm.get("device_keys"), "ALICEDEV", dev});
        out.add(new Object[] {wasm.get("device_keys"), ssk, ssk});
        out.add(new Object[] {wasm.get("signatures_upload").get(ALICE).get("ALICEDEV"), ssk, ssk});
        return out;
    }

    @Test
    void everyWasmSignatureVerifies() {
        for (Object[] s : allSignatures()) {
            SignedTree.verify((JsonNode) s[0], ALICE, (String) s[1], MatrixBase64.decode((String) s[2], "key"));
        }
        CrossSigningChains.verifySelfSigningKey(aliceKeys);
        CrossSigningChains.verifyUserSigningKey(aliceKeys);
        CrossSigningChains.verifyDevice(aliceDevice, aliceKeys);
        assertEquals(7, allSignatures().size());
    }

    @Test
    void oneChangedByteFailsEverySignature() {
        for (Object[] s : allSignatures()) {
            JsonNode original = (JsonNode) s[0];
            byte[] pub = MatrixBase64.decode((String) s[2], "key");
            // A changed byte in the signed content...
            ObjectNode content = original.deepCopy();
            String user = content.get("user_id").textValue();
            content.put("user_id", user.substring(0, 1) + (char) (user.charAt(1) ^ 1) + user.substring(2));
            assertFalse(SignedTree.isSignedBy(content, ALICE, (String) s[1], pub));
            // ...and a changed byte in the signature.
            ObjectNode sig = original.deepCopy();
            String keyId = JsonSigning.ED25519_PREFIX + s[1];
            byte[] raw = MatrixBase64.decode(sig.get("signatures").get(ALICE).get(keyId).textValue(), "sig");
            raw[raw.length / 2] ^= 0x40;
            sig.withObjectProperty("signatures").withObjectProperty(ALICE).put(keyId, MatrixBase64.encode(raw));
            var e = assertThrows(PanolmException.class, () -> SignedTree.verify(sig, ALICE, (String) s[1], pub));
            assertEquals(Status.BAD_SIGNATURE, e.status());
        }
    }

    @Test
    void panolmReproducesWasmSignaturesFromTheExportedSeeds() {
        JsonNode seeds = wasm.get("seeds");
        try (var own = OwnCrossSigning.fromSeeds(ALICE, MatrixBase64.decode(seeds.get("master").textValue(), "m"),
                MatrixBase64.decode(seeds.get("self_signing").textValue(), "s"),
                MatrixBase64.decode(seeds.get("user_signing").textValue(), "u"))) {
            UserCrossSigningKeys ours = own.publicKeys();
            assertEquals(aliceKeys.master().publicKey(), ours.master().publicKey());
            assertEquals(aliceKeys.selfSigning().publicKey(), ours.selfSigning().publicKey());
            assertEquals(aliceKeys.userSigning().publicKey(), ours.userSigning().publicKey());
            // Ed25519 is deterministic, so equal signatures mean equal canonical JSON.
            assertEquals(CanonicalTree.toString(wasm.get("self_signing_key")), CanonicalTree.toString(tree(ours.selfSigning().json())));
            assertEquals(CanonicalTree.toString(wasm.get("user_signing_key")), CanonicalTree.toString(tree(ours.userSigning().json())));
            ObjectNode device = wasm.get("device_keys").deepCopy();
            device.withObjectProperty("signatures").withObjectProperty(ALICE).remove("ed25519:" + ours.selfSigning().publicKey());
            assertEquals(CanonicalTree.toString(wasm.get("device_keys")), CanonicalTree.toString(tree(own.signDevice(device.toString()))));
            assertEquals(seeds.get("master").textValue(), own.master().exportSeedBase64());
        }
    }

    @Test
    void panolmUserSigningOfAWasmMasterKey() {
        try (var bob = OwnCrossSigning.generate("@bob:example.org")) {
            ObjectNode signedAliceMaster = tree(bob.signUser(aliceKeys.master()));
            var aliceAsBobSeesIt = new UserCrossSigningKeys(CrossSigningKey.fromJson(signedAliceMaster.toString(), KeyUsage.MASTER),
                    aliceKeys.selfSigning(), null);
            UserCrossSigningKeys bobKeys = bob.publicKeys();
            CrossSigningChains.verifyUser(aliceAsBobSeesIt, bobKeys);
            CrossSigningChains.verifyDevice(aliceDevice, aliceAsBobSeesIt);
            // Not signed by Bob: Alice's key as wasm published it.
            var e = assertThrows(PanolmException.class, () -> CrossSigningChains.verifyUser(aliceKeys, bobKeys));
            assertEquals(Status.BAD_SIGNATURE, e.status());
            assertTrue(e.getMessage().contains("user_signing key of @bob:example.org"), e.getMessage());
            try (var mallory = OwnCrossSigning.generate("@bob:example.org")) {
                assertFalse(CrossSigningChains.isUserSigned(aliceAsBobSeesIt, mallory.publicKeys()));
            }
        }
    }

    @Test
    void wasmSignedBackupIsTrustedByTheRightKeys() {
        JsonNode authData = wasm.get("backup_auth_data");
        assertTrue(wasm.get("backup_trusted").booleanValue(), "wasm trusts its own backup signature");
        var devices = Map.of("ALICEDEV", aliceDevice);
        String msk = "ed25519:" + aliceKeys.master().publicKey();

        BackupTrust both = BackupAuthDataTrust.check(authData.toString(), ALICE, aliceKeys, true, devices, Set.of());
        assertTrue(both.trusted(), both.toString());
        assertEquals(Set.of(msk, "ed25519:ALICEDEV"), Set.copyOf(both.trustedBy()));

        // A device that does not trust the master key, and has not verified ALICEDEV: not trusted, and says why.
        BackupTrust untrusted = BackupAuthDataTrust.check(authData.toString(), ALICE, aliceKeys, false, devices, Set.of());
        assertFalse(untrusted.trusted());
        assertTrue(untrusted.findings().stream().anyMatch(f -> f.contains("does not trust")), untrusted.toString());
        assertTrue(untrusted.findings().stream().anyMatch(f -> f.contains("not verified")), untrusted.toString());
        // Verified locally instead: trusted through the device alone.
        assertEquals(List.of("ed25519:ALICEDEV"),
                BackupAuthDataTrust.check(authData.toString(), ALICE, aliceKeys, false, devices, Set.of("ALICEDEV")).trustedBy());

        // Another public key under the same signatures: nothing verifies.
        ObjectNode swapped = authData.deepCopy();
        swapped.put("public_key", "3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08");
        BackupTrust forged = BackupAuthDataTrust.check(swapped.toString(), ALICE, aliceKeys, true, devices, Set.of("ALICEDEV"));
        assertFalse(forged.trusted());
        assertEquals(2, forged.findings().stream().filter(f -> f.contains("does not verify")).count(), forged.toString());
    }
}
