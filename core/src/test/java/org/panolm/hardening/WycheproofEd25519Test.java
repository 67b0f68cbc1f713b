package org.panolm.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.panolm.Status;
import org.panolm.bindings.panolm_h;
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

    /** Every vector with a 64-byte signature in one batch, in several orders: each gets its expected verdict. */
    @Test
    void ed25519VectorsInOneBatch() {
        var file = Wycheproof.load("ed25519_test.json");
        List<Wycheproof.Case> cases = new ArrayList<>();
        for (var c : file.cases()) {
            if (c.hex("sig").length == 64) cases.add(c);
        }
        assertTrue(cases.size() > 100, "most vectors have 64-byte signatures");
        Random rnd = new Random(7);
        for (int round = 0; round < 8; round++) {
            if (round > 0) Collections.shuffle(cases, rnd);
            int n = cases.size();
            byte[][] msgs = new byte[n][];
            int total = 0;
            for (int i = 0; i < n; i++) {
                msgs[i] = cases.get(i).hex("msg");
                total += msgs[i].length;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment keys = arena.allocate(32L * n);
                MemorySegment sigs = arena.allocate(64L * n);
                MemorySegment messages = arena.allocate(Math.max(1, total));
                MemorySegment ends = arena.allocate(ValueLayout.JAVA_LONG, n);
                MemorySegment verdicts = arena.allocate(ValueLayout.JAVA_INT, n);
                long at = 0;
                for (int i = 0; i < n; i++) {
                    var c = cases.get(i);
                    MemorySegment.copy(hexOf(c.group().get("publicKey").get("pk").asText()), 0, keys, ValueLayout.JAVA_BYTE, 32L * i, 32);
                    MemorySegment.copy(c.hex("sig"), 0, sigs, ValueLayout.JAVA_BYTE, 64L * i, 64);
                    MemorySegment.copy(msgs[i], 0, messages, ValueLayout.JAVA_BYTE, at, msgs[i].length);
                    at += msgs[i].length;
                    ends.setAtIndex(ValueLayout.JAVA_LONG, i, at);
                }
                // PANOLM_ED25519_BATCH = 0
                assertEquals(0, panolm_h.panolm_ed25519_verify_batch(keys, sigs, messages, total, ends, n, verdicts, 0));
                for (int i = 0; i < n; i++) {
                    var c = cases.get(i);
                    int expected = c.valid() ? 0 : Status.BAD_SIGNATURE.code();
                    assertEquals(expected, verdicts.getAtIndex(ValueLayout.JAVA_INT, i), c::label);
                }
            }
        }
    }

    private static byte[] hexOf(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }
}
