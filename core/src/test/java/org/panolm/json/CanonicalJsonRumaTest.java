package org.panolm.json;

import org.panolm.internal.json.SignedTree;
import org.panolm.internal.json.CanonicalTree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.json.SignedTree;
import org.panolm.internal.json.CanonicalTree;
import org.panolm.testsupport.InteractiveNodePeer;

/**
 * panolm's canonical JSON judged by ruma's (inside matrix-sdk-crypto-wasm): panolm signs backup
 * {@code auth_data} objects full of awkward keys and values with a master key the wasm machine owns, and the
 * machine's {@code verifyBackup} canonicalises them itself before checking. A signature can only verify if
 * both sides produced the same bytes; a changed value must not verify.
 */
class CanonicalJsonRumaTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String USER = "@judge:example.org";
    private static final List<String> AWKWARD = List.of("", "a", "A", "Z", "_", "é", "日", "本", "\uFF61", "\uD83D\uDE00",
            "\uD800\uDC00", "\"", "\\", "\n", "\t", "\u0000", "\u001f", "\u007f", "\u2028", "/", "<>&", "a b", "1", "10", "9");

    @Test
    void rumaAgreesOnEveryObject() throws Exception {
        try (var judge = new InteractiveNodePeer("verify/canonical_verifier.mjs")) {
            JsonNode init = judge.call(Map.of("op", "init", "user_id", USER, "device_id", "JUDGE"));
            byte[] seed = MatrixBase64.decode(init.get("master_seed").textValue(), 32, "seed");
            String msk = init.get("master_key").textValue();
            Random random = new Random(20261123);
            for (int i = 0; i < 40; i++) {
                ObjectNode authData = F.objectNode();
                authData.put("public_key", "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo");
                authData.set("extra", i == 0 ? fixedCase() : randomObject(random, 3));
                ObjectNode signed = SignedTree.sign(authData, USER, msk, seed);
                JsonNode verdict = judge.call(Map.of("op", "verify", "auth_data", signed));
                assertTrue(verdict.get("trusted").booleanValue(),
                        "ruma disagrees on " + CanonicalTree.toString(authData) + ": " + verdict);

                ObjectNode changed = signed.deepCopy();
                changed.withObjectProperty("extra").put("zz-added", 1);
                JsonNode refused = judge.call(Map.of("op", "verify", "auth_data", changed));
                assertFalse(refused.get("trusted").booleanValue());
                assertEquals(1, refused.get("user_state").intValue(), "Invalid");
            }
            java.util.Arrays.fill(seed, (byte) 0);
        }
    }

    private static ObjectNode fixedCase() {
        ObjectNode o = F.objectNode();
        for (String k : AWKWARD) {
            o.put(k, k + "|" + k);
        }
        o.put("max", CanonicalJson.MAX_SAFE_INTEGER).put("min", -CanonicalJson.MAX_SAFE_INTEGER).put("zero", 0);
        o.put("t", true).put("f", false).putNull("n");
        o.putArray("empty");
        o.putObject("nested").putObject("deeper").putArray("list").add(1).add("x").addObject();
        return o;
    }

    private static ObjectNode randomObject(Random r, int depth) {
        ObjectNode o = F.objectNode();
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            o.set(randomString(r), randomValue(r, depth - 1));
        }
        return o;
    }

    private static JsonNode randomValue(Random r, int depth) {
        int kind = depth <= 0 ? r.nextInt(5) : r.nextInt(7);
        return switch (kind) {
            case 0 -> F.textNode(randomString(r));
            case 1 -> F.numberNode(r.nextLong() % (CanonicalJson.MAX_SAFE_INTEGER + 1));
            case 2 -> F.booleanNode(r.nextBoolean());
            case 3 -> F.nullNode();
            case 4 -> F.numberNode(r.nextInt(1000) - 500);
            case 5 -> randomObject(r, depth);
            default -> {
                ArrayNode a = F.arrayNode();
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    a.add(randomValue(r, depth - 1));
                }
                yield a;
            }
        };
    }

    private static String randomString(Random r) {
        StringBuilder s = new StringBuilder();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            s.append(AWKWARD.get(r.nextInt(AWKWARD.size())));
        }
        return s.toString();
    }
}
