package org.panolm.hardening;

import org.junit.jupiter.api.Test;
import org.panolm.subtle.Ed25519;

/**
 * Ed25519 verification. Wycheproof's invalid cases include malleated signatures (S + L, non-canonical S),
 * wrong lengths and non-canonical point encodings; panolm's strict verifier must refuse all of them,
 * which libolm's verifier did not (CVE-2024-45193).
 */
class WycheproofEd25519Test {
    @Test
    void ed25519Vectors() {
        var file = Wycheproof.load("ed25519_test.json");
        var tally = new VectorTally("Ed25519 verify");
        for (var c : file.cases()) {
            byte[] pk = hexOf(c.group().get("publicKey").get("pk").asText());
            boolean ok = Ed25519.verify(pk, c.hex("msg"), c.hex("sig"));
            if (c.valid()) {
                if (ok) tally.pass("valid");
                else tally.fail(c, "a valid signature was refused");
            } else if (ok) {
                tally.fail(c, "an invalid signature was accepted");
            } else {
                tally.pass(c.hasFlag("SignatureMalleability") ? "invalid, malleated S refused" : "invalid, refused");
            }
        }
        tally.assertAllPassed(file.numberOfTests());
    }

    private static byte[] hexOf(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }
}
