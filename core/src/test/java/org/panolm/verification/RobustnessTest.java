package org.panolm.verification;

import static org.panolm.testing.Trees.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.encoding.MatrixBase64;
import org.panolm.subtle.Ed25519;
import org.panolm.verification.qr.QrCodeData;
import org.panolm.verification.qr.QrVerificationMode;
import org.panolm.verification.sas.SasState;
import org.panolm.verification.sas.SasVerification;

/** Hostile input never escapes as anything but a PanolmException or a cancellation with a spec code. */
class RobustnessTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    void qrDecoderOnRandomAndTruncatedInput() {
        Random r = new Random(7);
        byte[] valid = new QrCodeData(QrVerificationMode.VERIFYING_ANOTHER_USER, "flow", new byte[32], new byte[32],
                new byte[16]).encode();
        for (int i = 0; i < 3000; i++) {
            byte[] data;
            if (i < valid.length) {
                data = java.util.Arrays.copyOf(valid, i);
            } else {
                data = i % 2 == 0 ? valid.clone() : new byte[r.nextInt(200)];
                if (i % 2 == 1) {
                    r.nextBytes(data);
                    if (data.length > 8 && r.nextBoolean()) {
                        System.arraycopy(valid, 0, data, 0, 8); // keep the header to reach the deeper checks
                    }
                } else {
                    data[r.nextInt(data.length)] = (byte) r.nextInt(256);
                }
            }
            try {
                QrCodeData.decode(data);
            } catch (PanolmException expected) {
                assertTrue(expected.getMessage().contains("QR"), expected.getMessage());
            }
        }
    }

    @Test
    void stateMachineOnGarbageEvents() {
        Random r = new Random(11);
        String key = MatrixBase64.encode(Ed25519.publicKey(new byte[32]));
        var own = new OwnIdentity("@a:x", "A", key, null);
        var peer = new PeerKeys("@b:x", Map.of("B", key), null);
        List<String> types = List.of(VerificationEvents.READY, VerificationEvents.START, VerificationEvents.ACCEPT,
                VerificationEvents.KEY, VerificationEvents.MAC, VerificationEvents.DONE, VerificationEvents.CANCEL, "m.other");
        for (int i = 0; i < 200; i++) {
            var v = SasVerification.request(own, peer, "t", Clock.systemUTC());
            ObjectNode ready = F.objectNode().put("from_device", "B").put("transaction_id", "t");
            ready.putArray("methods").add(VerificationEvents.SAS_V1);
            v.receive("@b:x", VerificationEvents.READY, ready.toString());
            if (r.nextBoolean()) {
                v.startSas();
            }
            for (int k = 0; k < 4 && v.state() != SasState.CANCELLED; k++) {
                ObjectNode content = randomContent(r);
                List<OutgoingEvent> out = v.receive("@b:x", types.get(r.nextInt(types.size())), content.toString());
                for (OutgoingEvent e : out) {
                    if (e.type().equals(VerificationEvents.CANCEL)) {
                        assertTrue(CancelCode.fromCode(tree(e.content()).get("code").textValue()).isPresent());
                    }
                }
            }
            v.close();
        }
        var v = SasVerification.request(own, peer, "t", Clock.systemUTC());
        assertEquals("m.invalid_message", tree(v.receive("@b:x", VerificationEvents.READY, F.textNode("x").toString()).getFirst()
                .content()).get("code").textValue());
    }

    private static ObjectNode randomContent(Random r) {
        ObjectNode c = F.objectNode();
        if (r.nextInt(5) > 0) {
            c.put("transaction_id", r.nextInt(6) > 0 ? "t" : "u");
        }
        String[] fields = {"from_device", "method", "key_agreement_protocols", "hashes", "message_authentication_codes",
                "short_authentication_string", "key_agreement_protocol", "hash", "message_authentication_code",
                "commitment", "key", "mac", "keys", "code", "methods"};
        for (String f : fields) {
            if (r.nextInt(3) == 0) {
                c.set(f, randomValue(r));
            }
        }
        return c;
    }

    private static JsonNode randomValue(Random r) {
        return switch (r.nextInt(7)) {
            case 0 -> F.textNode("B");
            case 1 -> F.textNode(MatrixBase64.encode(new byte[r.nextInt(40)]));
            case 2 -> F.arrayNode().add(VerificationEvents.SAS_V1).add("curve25519-hkdf-sha256").add("sha256")
                    .add("hkdf-hmac-sha256.v2").add("decimal");
            case 3 -> F.numberNode(r.nextInt());
            case 4 -> F.objectNode().put("ed25519:B", "AAAA");
            case 5 -> F.nullNode();
            default -> F.arrayNode().add(1).add(F.objectNode());
        };
    }
}
