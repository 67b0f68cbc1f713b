package org.panolm.verification.qr;

import static org.panolm.testing.Trees.tree;

import org.panolm.internal.json.SignedTree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panolm.crosssigning.OwnCrossSigning;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.json.SignedTree;
import org.panolm.json.JsonSigning;
import org.panolm.subtle.Ed25519;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.subtle.X25519;
import org.panolm.verification.CancelCode;
import org.panolm.verification.OwnIdentity;
import org.panolm.verification.PeerKeys;
import org.panolm.verification.VerificationEvents;
import org.panolm.testsupport.InteractiveNodePeer;

/**
 * QR verification between users against matrix-sdk-crypto-wasm: panolm scans and checks the code wasm shows
 * (mode 0x00) and reciprocates; wasm scans panolm's code and its reciprocation passes panolm's check.
 */
class QrWasmInteropTest {
    static final String PANOLM = "@panolm:example.org";
    static final String WASM = "@wasm:example.org";
    static final String FLOW = "qr-flow-1";

    OwnCrossSigning identity;
    OwnIdentity own;
    InteractiveNodePeer wasm;
    PeerKeys wasmKeys;

    @BeforeEach
    void setUp() {
        identity = OwnCrossSigning.generate(PANOLM);
        byte[] seed = SecureRandomBytes.next(32);
        String ed = MatrixBase64.encode(Ed25519.publicKey(seed));
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("user_id", PANOLM).put("device_id", "PANDEV");
        d.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2").add("m.megolm.v1.aes-sha2");
        d.putObject("keys").put("ed25519:PANDEV", ed)
                .put("curve25519:PANDEV", MatrixBase64.encode(X25519.publicKey(SecureRandomBytes.next(32))));
        ObjectNode device = tree(identity.signDevice(SignedTree.sign(d, PANOLM, "PANDEV", seed).toString()));
        var keys = identity.publicKeys();
        own = new OwnIdentity(PANOLM, "PANDEV", ed, keys.master().publicKey());

        wasm = new InteractiveNodePeer("verify/qr_peer.mjs");
        JsonNode id = wasm.call(Map.of("op", "init", "user_id", WASM, "device_id", "WASMDEV", "peer_user", PANOLM,
                "peer_device_keys", device, "peer_master_key", tree(keys.master().json()),
                "peer_self_signing_key", tree(keys.selfSigning().json())));
        wasmKeys = new PeerKeys(WASM, Map.of("WASMDEV", id.get("device_key").textValue()), id.get("master_key").textValue());

        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("from_device", "PANDEV");
        request.putArray("methods").add(VerificationEvents.QR_SHOW_V1).add(VerificationEvents.QR_SCAN_V1)
                .add(VerificationEvents.RECIPROCATE_V1);
        request.put("timestamp", System.currentTimeMillis());
        request.put("transaction_id", FLOW);
        JsonNode ready = receive(VerificationEvents.REQUEST, request);
        assertEquals(List.of(VerificationEvents.READY), types(ready));
    }

    @AfterEach
    void tearDown() throws Exception {
        wasm.close();
        identity.close();
    }

    JsonNode receive(String type, ObjectNode content) {
        return wasm.call(Map.of("op", "receive", "events", List.of(Map.of("type", type, "content", content))));
    }

    static List<String> types(JsonNode answer) {
        List<String> t = new ArrayList<>();
        answer.get("events").forEach(e -> t.add(e.get("type").textValue()));
        return t;
    }

    @Test
    void panolmScansTheWasmCode() {
        JsonNode shown = wasm.call(Map.of("op", "show"));
        QrCodeData code = QrCodeData.decode(Base64.getDecoder().decode(shown.get("qr").textValue()));
        assertEquals(QrVerificationMode.VERIFYING_ANOTHER_USER, code.mode());
        assertEquals(FLOW, code.flowId());
        assertEquals(wasmKeys.masterKey(), MatrixBase64.encode(code.key1()));
        assertEquals(own.masterKey(), MatrixBase64.encode(code.key2()));

        var outcome = assertInstanceOf(QrOutcome.Verified.class,
                QrVerification.checkScanned(code, FLOW, own, wasmKeys, "WASMDEV", true));
        assertEquals(Map.of("ed25519:" + wasmKeys.masterKey(), wasmKeys.masterKey()), outcome.keys().keys());
        JsonNode afterScan = receive(VerificationEvents.START, tree(outcome.reply()));
        assertTrue(afterScan.get("state").get("scanned").booleanValue(), afterScan.toString());
        JsonNode confirmed = wasm.call(Map.of("op", "confirm_scanning"));
        assertEquals(List.of(VerificationEvents.DONE), types(confirmed));
        JsonNode end = receive(VerificationEvents.DONE, JsonNodeFactory.instance.objectNode().put("transaction_id", FLOW));
        assertTrue(end.get("state").get("done").booleanValue(), end.toString());

        // Had panolm believed another master key for wasm, the same code would be refused.
        var wrong = new PeerKeys(WASM, wasmKeys.deviceEd25519Keys(), MatrixBase64.encode(Ed25519.publicKey(new byte[32])));
        assertEquals(CancelCode.KEY_MISMATCH, assertInstanceOf(QrOutcome.Rejected.class,
                QrVerification.checkScanned(code, FLOW, own, wrong, "WASMDEV", true)).code());
    }

    @Test
    void wasmScansThePanolmCode() {
        QrCodeData shown = QrVerification.showToOtherUser(FLOW, own, wasmKeys);
        JsonNode scanned = wasm.call(Map.of("op", "scan", "qr", Base64.getEncoder().encodeToString(shown.encode())));
        assertEquals(List.of(VerificationEvents.START), types(scanned));
        JsonNode start = scanned.get("events").get(0).get("content");
        assertEquals(VerificationEvents.RECIPROCATE_V1, start.get("method").textValue());
        var outcome = assertInstanceOf(QrOutcome.Verified.class,
                QrVerification.checkReciprocate(shown, start.toString(), wasmKeys, "WASMDEV"));
        assertEquals(Map.of("ed25519:" + wasmKeys.masterKey(), wasmKeys.masterKey()), outcome.keys().keys());
        assertTrue(scanned.get("state").get("reciprocated").booleanValue(), scanned.toString());

        // A code with a wrong secret is not what wasm answered.
        QrCodeData other = QrVerification.showToOtherUser(FLOW, own, wasmKeys);
        assertEquals(CancelCode.KEY_MISMATCH, assertInstanceOf(QrOutcome.Rejected.class,
                QrVerification.checkReciprocate(other, start.toString(), wasmKeys, "WASMDEV")).code());
    }
}
