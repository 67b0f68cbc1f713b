package org.panolm.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads one Wycheproof vector file ({@code testvectors_v1} schema) from the copies vendored under
 * {@code core/src/test/resources/wycheproof} (upstream commit and licence beside them). A missing file
 * fails the test: known answers are proof, never optional.
 */
public record Wycheproof(String algorithm, int numberOfTests, List<Case> cases) {
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

    /**
     * The vendored vectors, {@code core/src/test/resources/wycheproof} (on the test class path);
     * {@code -Dpanolm.vectors.dir} overrides it. Public: the backup and PK tests read the X25519 file too.
     */
    public static Path folder() {
        String override = System.getProperty("panolm.vectors.dir");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        URL source = Wycheproof.class.getResource("/wycheproof/SOURCE.md");
        if (source == null) {
            return fail("the vendored Wycheproof vectors are not on the test class path (core/src/test/resources/wycheproof)");
        }
        try {
            return Path.of(source.toURI()).getParent();
        } catch (URISyntaxException e) {
            return fail("cannot locate the Wycheproof vectors: " + e.getMessage());
        }
    }
}
