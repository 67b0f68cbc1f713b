package org.panolm.verification.sas;

import static org.panolm.testing.Trees.tree;

import org.panolm.internal.json.SignedTree;
import org.panolm.internal.json.CanonicalTree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.json.SignedTree;
import org.panolm.internal.json.CanonicalTree;
import org.panolm.json.CanonicalJson;
import org.panolm.json.JsonSigning;
import org.panolm.subtle.Ed25519;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.verification.OutgoingEvent;
import org.panolm.verification.OwnIdentity;
import org.panolm.verification.PeerKeys;
import org.panolm.verification.Recipient;
import org.panolm.verification.VerificationEvents;
import org.panolm.testsupport.InteractiveNodePeer;

/**
 * Whole SAS verifications between panolm and matrix-sdk-crypto-wasm (vodozemac, the SAS Element uses), in
 * both roles, with the v2 MAC: both show the same emoji and decimals, each verifies the other's device key,
 * and both reach done; a mismatch reported on the wasm side reaches panolm as {@code m.mismatched_sas}.
 */
class SasWasmInteropTest {
    static final String PANOLM = "@panolm:example.org";
    static final String WASM = "@wasm:example.org";

    OwnIdentity own;
    ObjectNode ownDeviceKeys;

    @BeforeEach
    void device() {
        byte[] seed = SecureRandomBytes.next(32);
        String ed = MatrixBase64.encode(Ed25519.publicKey(seed));
        ObjectNode d = (ObjectNode) CanonicalTree.parse("{}");
        d.put("user_id", PANOLM).put("device_id", "PANDEV");
        d.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2").add("m.megolm.v1.aes-sha2");
        d.putObject("keys").put("ed25519:PANDEV", ed).put("curve25519:PANDEV",
                MatrixBase64.encode(org.panolm.subtle.X25519.publicKey(SecureRandomBytes.next(32))));
        ownDeviceKeys = SignedTree.sign(d, PANOLM, "PANDEV", seed);
        own = new OwnIdentity(PANOLM, "PANDEV", ed, null);
    }

    PeerKeys init(InteractiveNodePeer wasm) {
        JsonNode id = wasm.call(Map.of("op", "init", "user_id", WASM, "device_id", "WASMDEV", "peer_user", PANOLM,
                "peer_device_keys", ownDeviceKeys));
        return new PeerKeys(WASM, Map.of("WASMDEV", id.get("device_key").textValue()), null);
    }

    static JsonNode send(InteractiveNodePeer wasm, List<OutgoingEvent> events) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (OutgoingEvent e : events) {
            if (!(e.recipient() instanceof Recipient.AllDevicesExcept)) {
                list.add(Map.of("type", e.type(), "content", tree(e.content())));
            }
        }
        return wasm.call(Map.of("op", "receive", "events", list));
    }

    static List<OutgoingEvent> deliver(JsonNode answer, SasVerification to) {
        List<OutgoingEvent> replies = new ArrayList<>();
        for (JsonNode e : answer.get("events")) {
            replies.addAll(to.receive(WASM, e.get("type").textValue(), e.get("content").toString()));
        }
        return replies;
    }

    static void assertSameSas(SasVerification ours, JsonNode state) {
        ShortAuthenticationString sas = ours.shortAuthenticationString().orElseThrow();
        int[] idx = sas.emojiIndices();
        for (int k = 0; k < 7; k++) {
            assertEquals(state.get("emoji_indices").get(k).intValue(), idx[k], "emoji " + k);
        }
        assertEquals(state.get("decimals").get(0).intValue(), sas.decimals().first());
        assertEquals(state.get("decimals").get(1).intValue(), sas.decimals().second());
        assertEquals(state.get("decimals").get(2).intValue(), sas.decimals().third());
    }

    static List<String> types(JsonNode answer) {
        List<String> t = new ArrayList<>();
        answer.get("events").forEach(e -> t.add(e.get("type").textValue()));
        return t;
    }

    @Test
    void panolmRequestsAndStarts() throws Exception {
        try (var wasm = new InteractiveNodePeer("verify/sas_peer.mjs")) {
            PeerKeys wasmKeys = init(wasm);
            try (var v = SasVerification.request(own, wasmKeys, "panolm-txn-1", Clock.systemUTC())) {
                JsonNode ready = send(wasm, List.of(v.requestEvent()));
                assertEquals(List.of(VerificationEvents.READY), types(ready));
                deliver(ready, v);
                assertEquals(SasState.READY, v.state());
                JsonNode accept = send(wasm, v.startSas());
                assertEquals(List.of(VerificationEvents.ACCEPT), types(accept));
                assertEquals("hkdf-hmac-sha256.v2",
                        accept.get("events").get(0).get("content").get("message_authentication_code").textValue());
                JsonNode key = send(wasm, deliver(accept, v));
                assertEquals(List.of(VerificationEvents.KEY), types(key));
                assertEquals(List.of(), deliver(key, v), "the wasm key matches its commitment");
                assertSameSas(v, key.get("state"));

                JsonNode afterOurMac = send(wasm, v.confirm());
                assertEquals(List.of(), types(afterOurMac), "wasm waits for its user");
                JsonNode wasmConfirm = wasm.call(Map.of("op", "confirm"));
                assertEquals(List.of(VerificationEvents.MAC, VerificationEvents.DONE), types(wasmConfirm));
                List<OutgoingEvent> done = deliver(wasmConfirm, v);
                assertEquals(VerificationEvents.DONE, done.getFirst().type());
                assertEquals(SasState.DONE, v.state());
                assertEquals(Map.of("ed25519:WASMDEV", wasmKeys.deviceKey("WASMDEV").orElseThrow()), v.verifiedKeys().orElseThrow().keys());
                JsonNode end = send(wasm, done);
                assertTrue(end.get("state").get("done").booleanValue(), end.toString());
            }
        }
    }

    @Test
    void wasmRequestsAndStarts() throws Exception {
        try (var wasm = new InteractiveNodePeer("verify/sas_peer.mjs")) {
            PeerKeys wasmKeys = init(wasm);
            JsonNode requested = wasm.call(Map.of("op", "request"));
            assertEquals(List.of(VerificationEvents.REQUEST), types(requested));
            JsonNode request = requested.get("events").get(0).get("content");
            try (var v = SasVerification.fromRequest(own, wasmKeys, WASM, request.toString(), Clock.systemUTC())) {
                JsonNode start = send(wasm, v.accept());
                assertEquals(List.of(VerificationEvents.START), types(start));
                List<OutgoingEvent> accept = deliver(start, v);
                assertEquals(VerificationEvents.ACCEPT, accept.getFirst().type());
                JsonNode key = send(wasm, accept);
                assertEquals(List.of(VerificationEvents.KEY), types(key));
                JsonNode noReply = send(wasm, deliver(key, v));
                assertEquals(List.of(), types(noReply), "our key matched our commitment for wasm");
                assertSameSas(v, noReply.get("state"));

                JsonNode wasmMac = wasm.call(Map.of("op", "confirm"));
                assertEquals(List.of(VerificationEvents.MAC), types(wasmMac));
                assertEquals(List.of(), deliver(wasmMac, v));
                List<OutgoingEvent> macAndDone = v.confirm();
                assertEquals(List.of(VerificationEvents.MAC, VerificationEvents.DONE), macAndDone.stream().map(OutgoingEvent::type).toList());
                JsonNode wasmDone = send(wasm, macAndDone);
                assertEquals(List.of(VerificationEvents.DONE), types(wasmDone));
                deliver(wasmDone, v);
                assertEquals(SasState.DONE, v.state());
                assertTrue(wasmDone.get("state").get("done").booleanValue(), wasmDone.toString());
            }
        }
    }

    @Test
    void mismatchOnTheWasmSideCancelsPanolm() throws Exception {
        try (var wasm = new InteractiveNodePeer("verify/sas_peer.mjs")) {
            PeerKeys wasmKeys = init(wasm);
            try (var v = SasVerification.request(own, wasmKeys, "panolm-txn-2", Clock.systemUTC())) {
                deliver(send(wasm, List.of(v.requestEvent())), v);
                JsonNode accept = send(wasm, v.startSas());
                JsonNode key = send(wasm, deliver(accept, v));
                deliver(key, v);
                JsonNode cancel = wasm.call(Map.of("op", "mismatch"));
                assertEquals(List.of(VerificationEvents.CANCEL), types(cancel));
                deliver(cancel, v);
                assertEquals(SasState.CANCELLED, v.state());
                assertEquals("m.mismatched_sas", v.cancellation().orElseThrow().code());
            }
        }
    }

    static JsonNode sendInRoom(InteractiveNodePeer wasm, List<OutgoingEvent> events, String firstEventId) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (OutgoingEvent e : events) {
            String id = list.isEmpty() && firstEventId != null ? firstEventId : "$panolm-" + (++eventCounter);
            list.add(Map.of("type", e.type(), "content", tree(e.content()), "event_id", id));
        }
        return wasm.call(Map.of("op", "receive", "room_id", "!dm:example.org", "events", list));
    }

    static int eventCounter;

    @Test
    void panolmRequestsInARoom() throws Exception {
        try (var wasm = new InteractiveNodePeer("verify/sas_peer.mjs")) {
            PeerKeys wasmKeys = init(wasm);
            try (var v = SasVerification.requestInRoom(own, wasmKeys, Clock.systemUTC())) {
                OutgoingEvent request = v.requestEvent();
                v.requestSent("$request-1");
                JsonNode ready = sendInRoom(wasm, List.of(request), "$request-1");
                assertEquals(List.of(VerificationEvents.READY), types(ready));
                assertEquals("$request-1", ready.get("events").get(0).get("content").get("m.relates_to").get("event_id").textValue());
                deliver(ready, v);
                JsonNode accept = sendInRoom(wasm, v.startSas(), null);
                assertEquals(List.of(VerificationEvents.ACCEPT), types(accept));
                JsonNode key = sendInRoom(wasm, deliver(accept, v), null);
                assertEquals(List.of(VerificationEvents.KEY), types(key));
                assertEquals(List.of(), deliver(key, v));
                assertSameSas(v, key.get("state"));
                assertEquals(List.of(), types(sendInRoom(wasm, v.confirm(), null)));
                JsonNode wasmConfirm = wasm.call(Map.of("op", "confirm"));
                assertEquals(List.of(VerificationEvents.MAC, VerificationEvents.DONE), types(wasmConfirm));
                JsonNode end = sendInRoom(wasm, deliver(wasmConfirm, v), null);
                assertEquals(SasState.DONE, v.state());
                assertTrue(end.get("state").get("done").booleanValue(), end.toString());
            }
        }
    }
}
