package org.panolm.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.panolm.testing.Peer;

/**
 * Reads one Wycheproof vector file ({@code testvectors_v1} schema) from the shared vectors folder, a sibling
 * of the repository root (or of one of its parents, for work trees kept one level deeper). A missing folder
 * fails the test: known answers are proof, never optional.
 */
record Wycheproof(String algorithm, int numberOfTests, List<Case> cases) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    /** One test case with the group it belongs to (keys, sizes and curves live on the group). */
    record Case(JsonNode group, JsonNode test) {
        int id() {
            return test.get("tcId").asInt();
        }

        String result() {
            return test.get("result").asText();
        }

        boolean valid() {
            return "valid".equals(result());
        }

        boolean invalid() {
            return "invalid".equals(result());
        }

        boolean hasFlag(String flag) {
            for (JsonNode f : test.get("flags")) {
                if (f.asText().equals(flag)) return true;
            }
            return false;
        }

        byte[] hex(String field) {
            return HEX.parseHex(test.get(field).asText());
        }

        int integer(String field) {
            return test.get(field).asInt();
        }

        int groupInt(String field) {
            return group.get(field).asInt();
        }

        /** Names the case in assertion messages: its id, comment and flags. */
        String label() {
            return "tcId " + id() + " (" + test.get("comment").asText() + ", " + test.get("flags") + ", "
                    + result() + ")";
        }
    }

    static Wycheproof load(String file) {
        Path path = folder().resolve(file);
        try {
            JsonNode root = JSON.readTree(Files.readAllBytes(path));
            List<Case> cases = new ArrayList<>();
            for (JsonNode group : root.get("testGroups")) {
                for (JsonNode test : group.get("tests")) {
                    cases.add(new Case(group, test));
                }
            }
            var w = new Wycheproof(root.get("algorithm").asText(), root.get("numberOfTests").asInt(), List.copyOf(cases));
            // A truncated or edited file must not quietly shrink what is checked.
            assertEquals(w.numberOfTests(), w.cases().size(), file + ": numberOfTests disagrees with the tests present");
            return w;
        } catch (IOException e) {
            return fail("cannot read Wycheproof vectors " + path + ": " + e.getMessage());
        }
    }

    /** The {@code shared/vectors/wycheproof} folder; {@code -Dpanolm.vectors.dir} overrides it. */
    static Path folder() {
        String override = System.getProperty("panolm.vectors.dir");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        for (Path p = Peer.root(); p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared").resolve("vectors/wycheproof");
            if (Files.isDirectory(candidate)) return candidate;
        }
        return fail("the Wycheproof vectors are missing: expected shared/vectors/wycheproof beside the repository "
                + "(or set -Dpanolm.vectors.dir)");
    }
}
