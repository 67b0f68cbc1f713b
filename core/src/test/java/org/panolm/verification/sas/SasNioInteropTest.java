package org.panolm.verification.sas;

import static org.panolm.testing.Trees.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.panolm.encoding.MatrixBase64;
import org.panolm.subtle.Ed25519;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.testsupport.Peers;
import org.panolm.verification.OutgoingEvent;
import org.panolm.verification.OwnIdentity;
import org.panolm.verification.PeerKeys;
import org.panolm.verification.VerificationEvents;

/**
 * A whole SAS flow between panolm (the starter) and matrix-nio's {@code Sas} state machine over libolm (the
 * acceptor): nio's commitment must check, both show the same emoji and decimals, and each verifies the
 * other's MAC. nio only speaks the legacy {@code hkdf-hmac-sha256} MAC, so this also proves the mangled
 * encoding end to end. nio has no request/ready step; its ready is written by hand here.
 */
class SasNioInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void panolmStartsAndNioAccepts() {
        String aliceDeviceKey = MatrixBase64.encode(Ed25519.publicKey(SecureRandomBytes.next(32)));
        String nioDeviceKey = MatrixBase64.encode(Ed25519.publicKey(SecureRandomBytes.next(32)));
        var own = new OwnIdentity("@alice:example.org", "ALICEDEV", aliceDeviceKey, null);
        var nio = new PeerKeys("@nio:example.org", Map.of("NIODEV", nioDeviceKey), null);

        try (var alice = SasVerification.request(own, nio, "txn-nio-1", Clock.systemUTC())) {
            ObjectNode ready = JSON.createObjectNode().put("from_device", "NIODEV").put("transaction_id", "txn-nio-1");
            ready.putArray("methods").add(VerificationEvents.SAS_V1);
            alice.receive("@nio:example.org", VerificationEvents.READY, ready.toString());
            OutgoingEvent start = alice.startSas().getFirst();

            Map<String, Object> req = new HashMap<>();
            req.put("our_user", "@nio:example.org");
            req.put("our_device", "NIODEV");
            req.put("our_device_key", nioDeviceKey);
            req.put("their_user", "@alice:example.org");
            req.put("their_device", "ALICEDEV");
            req.put("their_device_key", aliceDeviceKey);
            req.put("nio_private_key_hex", HexFormat.of().formatHex(SecureRandomBytes.next(32)));
            req.put("start", tree(start.content()));

            JsonNode round1 = Peers.python("sas_nio_flow.py", req);
            assertTrue(round1.get("cancel_code").isNull(), round1.toString());
            assertEquals("hkdf-hmac-sha256", round1.get("accept").get("message_authentication_code").textValue(),
                    "nio only knows the legacy MAC; panolm offers it after v2");
            List<OutgoingEvent> ourKey = alice.receive("@nio:example.org", VerificationEvents.ACCEPT, round1.get("accept").toString());
            assertEquals(VerificationEvents.KEY, ourKey.getFirst().type());

            req.put("their_key", tree(ourKey.getFirst().content()));
            JsonNode round2 = Peers.python("sas_nio_flow.py", req);
            assertTrue(round2.get("cancel_code").isNull(), round2.toString());
            assertEquals(List.of(), alice.receive("@nio:example.org", VerificationEvents.KEY, round2.get("key").toString()),
                    "nio's key matches its commitment");
            ShortAuthenticationString sas = alice.shortAuthenticationString().orElseThrow();
            int[] idx = sas.emojiIndices();
            for (int k = 0; k < 7; k++) {
                assertEquals(round2.get("emoji_indices").get(k).intValue(), idx[k], "emoji " + k);
            }
            assertEquals(round2.get("decimals").get(0).intValue(), sas.decimals().first());
            assertEquals(round2.get("decimals").get(1).intValue(), sas.decimals().second());
            assertEquals(round2.get("decimals").get(2).intValue(), sas.decimals().third());

            List<OutgoingEvent> ourMac = alice.confirm();
            assertEquals(VerificationEvents.MAC, ourMac.getFirst().type());
            req.put("their_mac", tree(ourMac.getFirst().content()));
            JsonNode round3 = Peers.python("sas_nio_flow.py", req);
            assertTrue(round3.get("cancel_code").isNull(), round3.toString());
            assertTrue(round3.get("verified").booleanValue(), "nio verified panolm's device key");

            List<OutgoingEvent> done = alice.receive("@nio:example.org", VerificationEvents.MAC, round3.get("mac").toString());
            assertEquals(VerificationEvents.DONE, done.getFirst().type());
            assertEquals(Map.of("ed25519:NIODEV", nioDeviceKey), alice.verifiedKeys().orElseThrow().keys());
        }
    }
}
