package org.panolm.trust;

import static org.panolm.testing.Trees.tree;

import org.panolm.internal.json.SignedTree;
import org.panolm.internal.json.CanonicalTree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.panolm.crosssigning.CrossSigningKey;
import org.panolm.crosssigning.DeviceKeys;
import org.panolm.crosssigning.KeyUsage;
import org.panolm.crosssigning.OwnCrossSigning;
import org.panolm.crosssigning.UserCrossSigningKeys;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.json.SignedTree;
import org.panolm.internal.json.CanonicalTree;
import org.panolm.json.CanonicalJson;
import org.panolm.json.JsonSigning;
import org.panolm.subtle.Ed25519;
import org.panolm.subtle.SecureRandomBytes;

/** Device trust, user trust and room shields over a table of cross-signing situations. */
class TrustEvaluatorTest {
    static final String ME = "@me:x";
    static OwnCrossSigning me;
    static OwnCrossSigning bob;
    static OwnCrossSigning bobReset;
    static OwnCrossSigning carol;

    static UserState meOneDevice;
    static UserState meWithUnsignedDevice;
    static UserState bobVerified;
    static UserState bobVerifiedWithUnsignedDevice;
    static UserState bobUnsignedDeviceVerifiedLocally;
    static UserState bobVerifiedWithForgedDevice;
    static UserState bobChangedIdentity;
    static UserState carolUnverified;
    static UserState daveNoCrossSigning;

    @BeforeAll
    static void world() {
        me = OwnCrossSigning.generate(ME);
        bob = OwnCrossSigning.generate("@bob:x");
        bobReset = OwnCrossSigning.generate("@bob:x");
        carol = OwnCrossSigning.generate("@carol:x");

        DeviceKeys me1 = crossSigned(me, "ME1");
        DeviceKeys me2 = selfSignedOnly(ME, "ME2");
        meOneDevice = state(me.publicKeys(), null, Set.of(), me1);
        meWithUnsignedDevice = state(me.publicKeys(), null, Set.of(), me1, me2);

        UserCrossSigningKeys bobAsSeen = signedByMe(bob);
        DeviceKeys bob1 = crossSigned(bob, "BOB1");
        DeviceKeys bob2 = selfSignedOnly("@bob:x", "BOB2");
        String bobPin = bob.master().publicKey();
        bobVerified = state(bobAsSeen, bobPin, Set.of(), bob1);
        bobVerifiedWithUnsignedDevice = state(bobAsSeen, bobPin, Set.of(), bob1, bob2);
        bobUnsignedDeviceVerifiedLocally = state(bobAsSeen, bobPin, Set.of("BOB2"), bob1, bob2);
        bobVerifiedWithForgedDevice = state(bobAsSeen, bobPin, Set.of(), bob1, forged(bob, "BOB3"));
        // Bob's identity was reset (or replaced by an attacker): new keys, not signed by us, old pin.
        bobChangedIdentity = state(bobReset.publicKeys(), bobPin, Set.of(), crossSigned(bobReset, "BOB1"));

        carolUnverified = state(carol.publicKeys(), null, Set.of(), crossSigned(carol, "CAROL1"));
        daveNoCrossSigning = new UserState("@dave:x", null, Map.of("DAVE1", selfSignedOnly("@dave:x", "DAVE1")), Set.of(), null);
    }

    @AfterAll
    static void wipe() {
        for (var k : List.of(me, bob, bobReset, carol)) {
            k.close();
        }
    }

    static TrustEvaluator evaluator(boolean ownMasterTrusted) {
        return new TrustEvaluator(ME, me.publicKeys(), ownMasterTrusted);
    }

    static Stream<Arguments> shields() {
        return Stream.of(
                Arguments.of("not encrypted", false, true, List.of(meOneDevice, bobVerified), Shield.NONE),
                Arguments.of("not encrypted, even with a changed identity", false, true, List.of(meOneDevice, bobChangedIdentity), Shield.NONE),
                Arguments.of("all verified, all sessions trusted", true, true, List.of(meOneDevice, bobVerified), Shield.GREEN),
                Arguments.of("only me, verified", true, true, List.of(meOneDevice), Shield.GREEN),
                Arguments.of("verified user with an unsigned session", true, true, List.of(meOneDevice, bobVerifiedWithUnsignedDevice), Shield.RED),
                Arguments.of("that session verified directly", true, true, List.of(meOneDevice, bobUnsignedDeviceVerifiedLocally), Shield.GREEN),
                Arguments.of("verified user with a forged session", true, true, List.of(meOneDevice, bobVerifiedWithForgedDevice), Shield.RED),
                Arguments.of("my own unsigned session", true, true, List.of(meWithUnsignedDevice, bobVerified), Shield.RED),
                Arguments.of("an unverified member", true, true, List.of(meOneDevice, bobVerified, carolUnverified), Shield.BLACK),
                Arguments.of("a member without cross-signing", true, true, List.of(meOneDevice, daveNoCrossSigning), Shield.BLACK),
                Arguments.of("a verified member's identity changed", true, true, List.of(meOneDevice, carolUnverified, bobChangedIdentity), Shield.RED),
                Arguments.of("unverified member beside a verified one with an untrusted session", true, true,
                        List.of(meOneDevice, carolUnverified, bobVerifiedWithUnsignedDevice), Shield.RED),
                Arguments.of("we do not trust our own master key", true, false, List.of(meOneDevice, carolUnverified), Shield.BLACK),
                Arguments.of("we do not trust our own master key, but pinned Bob", true, false, List.of(meOneDevice, bobVerified), Shield.RED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shields")
    void roomShield(String name, boolean encrypted, boolean ownMasterTrusted, List<UserState> members, Shield expected) {
        assertEquals(expected, evaluator(ownMasterTrusted).roomShield(encrypted, members).shield());
    }

    @Test
    void shieldNamesTheUsersBehindIt() {
        RoomShield s = evaluator(true).roomShield(true, List.of(meOneDevice, bobChangedIdentity, carolUnverified));
        assertEquals(Set.of("@bob:x"), s.usersWithChangedIdentity());
        assertEquals(Set.of("@carol:x"), s.unverifiedUsers());
        assertEquals(Set.of(), s.usersWithUntrustedSessions());
        assertEquals(Set.of("@bob:x"), evaluator(true).roomShield(true, List.of(bobVerifiedWithUnsignedDevice)).usersWithUntrustedSessions());
    }

    @Test
    void userTrust() {
        TrustEvaluator t = evaluator(true);
        assertEquals(UserTrust.VERIFIED, t.userTrust(meOneDevice));
        assertEquals(UserTrust.VERIFIED, t.userTrust(bobVerified));
        assertEquals(UserTrust.UNVERIFIED, t.userTrust(carolUnverified));
        assertEquals(UserTrust.UNVERIFIED, t.userTrust(daveNoCrossSigning));
        assertEquals(UserTrust.VERIFICATION_VIOLATION, t.userTrust(bobChangedIdentity));
        assertTrue(t.masterKeyChanged(bobChangedIdentity));
        assertFalse(t.masterKeyChanged(bobVerified));
        // Bob's new key signed by us again, but the pin still names the old key: still flagged until re-pinned.
        UserState resigned = new UserState("@bob:x", signedByMe(bobReset), bobChangedIdentity.devices(), Set.of(),
                bob.master().publicKey());
        assertEquals(UserTrust.VERIFICATION_VIOLATION, t.userTrust(resigned));
        UserState repinned = new UserState("@bob:x", signedByMe(bobReset), bobChangedIdentity.devices(), Set.of(),
                bobReset.master().publicKey());
        assertEquals(UserTrust.VERIFIED, t.userTrust(repinned));
        assertEquals(UserTrust.UNVERIFIED, evaluator(false).userTrust(meOneDevice));
        // A server that lists another master key for us: not our trusted identity.
        UserState meReplaced = state(impostorIdentity(ME), null, Set.of());
        assertEquals(UserTrust.UNVERIFIED, t.userTrust(meReplaced));
    }

    @Test
    void deviceTrust() {
        TrustEvaluator t = evaluator(true);
        assertEquals(DeviceTrust.VERIFIED, t.deviceTrust(bobVerified, "BOB1"));
        assertEquals(DeviceTrust.UNSIGNED, t.deviceTrust(bobVerifiedWithUnsignedDevice, "BOB2"));
        assertEquals(DeviceTrust.VERIFIED, t.deviceTrust(bobUnsignedDeviceVerifiedLocally, "BOB2"));
        assertEquals(DeviceTrust.INVALID, t.deviceTrust(bobVerifiedWithForgedDevice, "BOB3"));
        assertEquals(DeviceTrust.SIGNED_BY_OWNER, t.deviceTrust(carolUnverified, "CAROL1"));
        assertEquals(DeviceTrust.SIGNED_BY_OWNER, t.deviceTrust(bobChangedIdentity, "BOB1"));
        assertEquals(DeviceTrust.VERIFIED, t.deviceTrust(meOneDevice, "ME1"));
        assertEquals(DeviceTrust.SIGNED_BY_OWNER, evaluator(false).deviceTrust(meOneDevice, "ME1"));
        assertEquals(DeviceTrust.UNSIGNED, t.deviceTrust(daveNoCrossSigning, "DAVE1"));
    }

    // ---- fixtures ----

    static UserState state(UserCrossSigningKeys keys, String pin, Set<String> local, DeviceKeys... devices) {
        Map<String, DeviceKeys> map = new HashMap<>();
        for (DeviceKeys d : devices) {
            map.put(d.deviceId(), d);
        }
        return new UserState(keys.userId(), keys, map, local, pin);
    }

    static UserCrossSigningKeys signedByMe(OwnCrossSigning other) {
        UserCrossSigningKeys k = other.publicKeys();
        return new UserCrossSigningKeys(CrossSigningKey.fromJson(me.signUser(k.master()), KeyUsage.MASTER), k.selfSigning(), null);
    }

    static UserCrossSigningKeys impostorIdentity(String user) {
        try (var impostor = OwnCrossSigning.generate(user)) {
            return impostor.publicKeys();
        }
    }

    static ObjectNode deviceBody(String user, String device, byte[] seed) {
        ObjectNode d = (ObjectNode) CanonicalTree.parse("{}");
        d.put("user_id", user).put("device_id", device);
        d.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2").add("m.megolm.v1.aes-sha2");
        d.putObject("keys").put("ed25519:" + device, MatrixBase64.encode(Ed25519.publicKey(seed)))
                .put("curve25519:" + device, MatrixBase64.encode(SecureRandomBytes.next(32)));
        return d;
    }

    static DeviceKeys selfSignedOnly(String user, String device) {
        byte[] seed = SecureRandomBytes.next(32);
        try {
            return DeviceKeys.fromJson(SignedTree.sign(deviceBody(user, device, seed), user, device, seed).toString());
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    static DeviceKeys crossSigned(OwnCrossSigning owner, String device) {
        return DeviceKeys.fromJson(owner.signDevice(selfSignedOnly(owner.userId(), device).json()));
    }

    /** Cross-signed by the owner, then its key swapped: the self-signature no longer verifies. */
    static DeviceKeys forged(OwnCrossSigning owner, String device) {
        ObjectNode body = tree(crossSigned(owner, device).json());
        body.withObjectProperty("keys").put("ed25519:" + device, MatrixBase64.encode(Ed25519.publicKey(SecureRandomBytes.next(32))));
        return DeviceKeys.fromJson(body.toString());
    }
}
