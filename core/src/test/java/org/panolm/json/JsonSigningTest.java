package org.panolm.json;

import org.panolm.internal.json.SignedTree;
import org.panolm.internal.json.CanonicalTree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.json.SignedTree;
import org.panolm.internal.json.CanonicalTree;
import org.panolm.subtle.Ed25519;

/** Signatures from the spec's appendix and from matrix-js-sdk's generated test data (docs/formats.md §10.9). */
class JsonSigningTest {
    // The spec's seed "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1" (non-canonical trailing bits) in hex.
    private static final byte[] SPEC_SEED = HexFormat.of().parseHex("6090c103d5e7af6b15a970fd563ed75549e6159719ae5c3c31dee4316fb75c0d");
    private static final String SPEC_PUBLIC = "XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI";

    static JsonNode jsSdk() throws IOException {
        try (InputStream in = JsonSigningTest.class.getResourceAsStream("js-sdk-alice.json")) {
            return CanonicalTree.parse(in.readAllBytes());
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void specAppendixSignatures() {
        assertEquals(SPEC_PUBLIC, MatrixBase64.encode(Ed25519.publicKey(SPEC_SEED)));
        ObjectNode empty = (ObjectNode) CanonicalTree.parse("{}");
        ObjectNode signed = SignedTree.sign(empty, "domain", "1", SPEC_SEED);
        assertEquals("{\"signatures\":{\"domain\":{\"ed25519:1\":\"K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ\"}}}",
                CanonicalTree.toString(signed));
        assertEquals("{}", CanonicalTree.toString(empty), "the argument is not modified");

        ObjectNode two = (ObjectNode) CanonicalTree.parse("{\"one\":1,\"two\":\"Two\"}");
        assertEquals("KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw",
                SignedTree.sign(two, "domain", "1", SPEC_SEED).get("signatures").get("domain").get("ed25519:1").textValue());
        SignedTree.verify(SignedTree.sign(two, "domain", "1", SPEC_SEED), "domain", "1", MatrixBase64.decode(SPEC_PUBLIC, "k"));
    }

    @Test
    void signaturesAndUnsignedAreNotCoveredAndAreKept() {
        ObjectNode obj = (ObjectNode) CanonicalTree.parse(
                "{\"one\":1,\"two\":\"Two\",\"unsigned\":{\"age\":5},\"signatures\":{\"other\":{\"ed25519:x\":\"abc\"}}}");
        ObjectNode signed = SignedTree.sign(obj, "domain", "1", SPEC_SEED);
        assertEquals("KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw",
                signed.get("signatures").get("domain").get("ed25519:1").textValue());
        assertEquals("abc", signed.get("signatures").get("other").get("ed25519:x").textValue());
        assertEquals(5, signed.get("unsigned").get("age").intValue());
        signed.withObjectProperty("unsigned").put("age", 6); // unsigned data may change freely
        assertTrue(SignedTree.isSignedBy(signed, "domain", "1", Ed25519.publicKey(SPEC_SEED)));
    }

    @Test
    void jsSdkDeviceAndCrossSigningSignaturesVerifyAndReproduce() throws IOException {
        JsonNode data = jsSdk();
        String user = data.get("user_id").textValue();
        byte[] deviceSeed = ascii("deadbeefdeadbeefdeadbeefdeadbeef");
        byte[] devicePub = Ed25519.publicKey(deviceSeed);
        assertEquals(data.get("device_ed25519").textValue(), MatrixBase64.encode(devicePub));
        JsonNode device = data.get("device_keys");
        SignedTree.verify(device, user, "test_device", devicePub);
        // Ed25519 is deterministic: signing the same body again gives js-sdk's bytes.
        ObjectNode unsigned = device.deepCopy();
        unsigned.remove("signatures");
        assertEquals(device.get("signatures"), SignedTree.sign(unsigned, user, "test_device", deviceSeed).get("signatures"));

        byte[] master = Ed25519.publicKey(ascii(data.get("master_seed_ascii").textValue()));
        String masterB64 = MatrixBase64.encode(master);
        assertEquals("J+5An10v1vzZpAXTYFokD1/PEVccFnLC61EfRXit0UY", masterB64);
        SignedTree.verify(data.get("self_signing_key"), user, masterB64, master);
        SignedTree.verify(data.get("user_signing_key"), user, masterB64, master);
        assertEquals("{\"keys\":{\"ed25519:aU2+2CyXQTCuDcmWW0EL2bhJ6PdjFW2LbAsbHqf02AY\":\"aU2+2CyXQTCuDcmWW0EL2bhJ6PdjFW2LbAsbHqf02AY\"},\"usage\":[\"self_signing\"],\"user_id\":\"@alice:localhost\"}",
                new String(SignedTree.signedBytes(data.get("self_signing_key")), StandardCharsets.UTF_8));
        SignedTree.verify(data.get("backup_auth_data"), user, "test_device", devicePub);
    }

    @Test
    void everySingleByteChangeFails() throws IOException {
        JsonNode data = jsSdk();
        byte[] master = Ed25519.publicKey(ascii(data.get("master_seed_ascii").textValue()));
        String masterB64 = MatrixBase64.encode(master);
        JsonNode ssk = data.get("self_signing_key");
        // Flip one character of the signed content.
        ObjectNode changed = ssk.deepCopy();
        changed.put("user_id", "@alicf:localhost");
        var e = assertThrows(PanolmException.class, () -> SignedTree.verify(changed, "@alice:localhost", masterB64, master));
        assertEquals(Status.BAD_SIGNATURE, e.status());
        // Flip one bit of every byte of the signature in turn.
        String sig = ssk.get("signatures").get("@alice:localhost").get("ed25519:" + masterB64).textValue();
        byte[] raw = MatrixBase64.decode(sig, "sig");
        for (int i = 0; i < raw.length; i++) {
            byte[] bad = raw.clone();
            bad[i] ^= 0x01;
            ObjectNode copy = ssk.deepCopy();
            copy.withObjectProperty("signatures").withObjectProperty("@alice:localhost").put("ed25519:" + masterB64, MatrixBase64.encode(bad));
            assertFalse(SignedTree.isSignedBy(copy, "@alice:localhost", masterB64, master), "byte " + i);
        }
    }

    @Test
    void preciseErrors() {
        byte[] pub = Ed25519.publicKey(SPEC_SEED);
        ObjectNode signed = SignedTree.sign(CanonicalTree.parse("{\"a\":1}"), "domain", "1", SPEC_SEED);
        assertEquals(Status.BAD_SIGNATURE, assertThrows(PanolmException.class,
                () -> SignedTree.verify(CanonicalTree.parse("{\"a\":1}"), "domain", "1", pub)).status());
        var missingKey = assertThrows(PanolmException.class, () -> SignedTree.verify(signed, "domain", "2", pub));
        assertEquals(Status.BAD_SIGNATURE, missingKey.status());
        assertTrue(missingKey.getMessage().contains("ed25519:2"), missingKey.getMessage());
        assertEquals(Status.BAD_SIGNATURE, assertThrows(PanolmException.class,
                () -> SignedTree.verify(signed, "other", "1", pub)).status());
        ObjectNode notString = signed.deepCopy();
        notString.withObjectProperty("signatures").withObjectProperty("domain").put("ed25519:1", 5);
        assertEquals(Status.BAD_MESSAGE_FORMAT, assertThrows(PanolmException.class,
                () -> SignedTree.verify(notString, "domain", "1", pub)).status());
        ObjectNode notBase64 = signed.deepCopy();
        notBase64.withObjectProperty("signatures").withObjectProperty("domain").put("ed25519:1", "!!!");
        assertEquals(Status.BAD_BASE64, assertThrows(PanolmException.class,
                () -> SignedTree.verify(notBase64, "domain", "1", pub)).status());
        ObjectNode shortSig = signed.deepCopy();
        shortSig.withObjectProperty("signatures").withObjectProperty("domain").put("ed25519:1", "AAAA");
        assertEquals(Status.BAD_SIGNATURE, assertThrows(PanolmException.class,
                () -> SignedTree.verify(shortSig, "domain", "1", pub)).status());
        ObjectNode sigArray = signed.deepCopy();
        sigArray.putArray("signatures");
        assertEquals(Status.BAD_MESSAGE_FORMAT, assertThrows(PanolmException.class,
                () -> SignedTree.verify(sigArray, "domain", "1", pub)).status());
        assertEquals(Status.BAD_KEY, assertThrows(PanolmException.class,
                () -> SignedTree.verify(signed, "domain", "1", new byte[31])).status());
        // A signature made by another key for the same key id.
        byte[] otherSeed = new byte[32];
        ObjectNode forged = SignedTree.sign(CanonicalTree.parse("{\"a\":1}"), "domain", "1", otherSeed);
        assertFalse(SignedTree.isSignedBy(forged, "domain", "1", pub));
    }
}
