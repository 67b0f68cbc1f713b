package org.panolm.olm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.panolm.encoding.MatrixBase64;
import org.panolm.testing.Peer;

/** SAS against python3-olm (interop/python/olm_pk.py "sas"): same bytes and the same three MACs. */
class SasInteropTest {
    @Test
    void bothSidesDeriveTheSameBytesAndMacs() {
        String info = "MATRIX_KEY_VERIFICATION_SAS|@a:x|DEV|KEY|@b:x|DEV2|KEY2|txn";
        String macInput = "ed25519 public key";
        String macInfo = "MATRIX_KEY_VERIFICATION_MAC@a:xDEV@b:xDEV2txned25519:DEV";
        try (Sas sas = Sas.create()) {
            JsonNode py = Peer.python("olm_pk.py", Map.of("op", "sas", "their_key", MatrixBase64.encode(sas.publicKey()),
                    "info", info, "mac_input", macInput, "mac_info", macInfo, "length", 6));
            sas.setTheirPublicKey(MatrixBase64.decode(py.get("public_key").asText(), 32, "their key"));
            byte[] in = macInput.getBytes(StandardCharsets.UTF_8);
            byte[] mi = macInfo.getBytes(StandardCharsets.UTF_8);
            assertEquals(py.get("bytes").asText(),
                    java.util.Base64.getEncoder().encodeToString(sas.generateBytes(info.getBytes(StandardCharsets.UTF_8), 6)));
            assertEquals(py.get("mac").asText(), MatrixBase64.encode(sas.calculateMac(in, mi)));
            assertEquals(py.get("mac_legacy").asText(), sas.calculateMacLegacyBase64(in, mi));
            assertEquals(py.get("mac_long_kdf").asText(), sas.calculateMacLongKdf(in, mi));
        }
    }
}
