package org.panolm.verification.sas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.testsupport.Peers;

/**
 * panolm's SAS bytes, emoji, decimals and all MAC encodings against libolm's {@code olm.Sas} (python3-olm)
 * and matrix-nio's emoji/decimal rendering, for random key pairs and info strings.
 */
class SasLibolmInteropTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void randomKeysAgreeWithLibolmAndNio() {
        List<Map<String, String>> cases = new ArrayList<>();
        List<String> theirPrivate = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            byte[] ours = SecureRandomBytes.next(32);
            byte[] theirs = SecureRandomBytes.next(32);
            theirPrivate.add(HEX.formatHex(theirs));
            try (var pair = SasKeyPair.fromPrivateKey(theirs)) {
                String txn = "txn-" + HEX.formatHex(SecureRandomBytes.next(4)) + (i % 3 == 0 ? "-é日\uD83D\uDE00" : "");
                cases.add(Map.of("private_key_hex", HEX.formatHex(ours), "their_public_key", pair.publicKeyBase64(),
                        "sas_info", SasInfo.sasBytes("@a:x", "AAAA", "k1", "@b:y", "BBBB", "k2", txn),
                        "mac_input", "key-" + i,
                        "mac_info", SasInfo.macBase("@a:x", "AAAA", "@b:y", "BBBB", txn) + "ed25519:AAAA"));
            }
        }
        JsonNode out = Peers.python("sas_libolm.py", Map.of("cases", cases));

        JsonNode table = out.get("emoji_table");
        assertEquals(64, table.size());
        Map<String, String> renamed = Map.of("Wrench", "Spanner", "Thumbs up", "Thumbs Up", "Airplane", "Aeroplane");
        for (int i = 0; i < 64; i++) {
            assertEquals(table.get(i).get(0).textValue(), SasEmoji.of(i).emoji(), "emoji " + i);
            String nioName = table.get(i).get(1).textValue();
            assertEquals(renamed.getOrDefault(nioName, nioName), SasEmoji.of(i).description(), "name " + i);
        }

        for (int i = 0; i < cases.size(); i++) {
            var c = cases.get(i);
            JsonNode r = out.get("cases").get(i);
            // We play the peer: agree from "their" private key with libolm's public key.
            try (var pair = SasKeyPair.fromPrivateKey(HEX.parseHex(theirPrivate.get(i)));
                    EstablishedSas sas = pair.agree(r.get("public_key").textValue())) {
                var sasString = sas.shortAuthenticationString(c.get("sas_info"));
                assertEquals(r.get("sas_bytes_hex").textValue(), HEX.formatHex(sasString.bytes()), "bytes " + i);
                int[] idx = sasString.emojiIndices();
                for (int k = 0; k < 7; k++) {
                    assertEquals(r.get("emoji_indices").get(k).intValue(), idx[k], "emoji index " + i + "/" + k);
                }
                var d = sasString.decimals();
                assertEquals(r.get("decimals").get(0).intValue(), d.first());
                assertEquals(r.get("decimals").get(1).intValue(), d.second());
                assertEquals(r.get("decimals").get(2).intValue(), d.third());
                String input = c.get("mac_input");
                String info = c.get("mac_info");
                assertEquals(r.get("mac_v2").textValue(), sas.calculateMac(input, info, SasMacMethod.HKDF_HMAC_SHA256_V2));
                assertEquals(r.get("mac_legacy").textValue(), sas.calculateMac(input, info, SasMacMethod.HKDF_HMAC_SHA256));
                assertEquals(r.get("mac_long_kdf").textValue(),
                        sas.calculateMac(input, info, SasMacMethod.HMAC_SHA256_LONG_KDF));
            }
        }
    }
}
