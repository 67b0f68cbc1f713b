package org.panolm.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
    public record Case(JsonNode group, JsonNode test) {
        public int id() {
            return test.get("tcId").asInt();
        }

        public String result() {
            return test.get("result").asText();
        }

        public boolean valid() {
            return "valid".equals(result());
        }

        public boolean invalid() {
            return "invalid".equals(result());
        }

        public boolean hasFlag(String flag) {
            for (JsonNode f : test.get("flags")) {
                if (f.asText().equals(flag)) return true;
            }
            return false;
        }

        public byte[] hex(String field) {
            return HEX.parseHex(test.get(field).asText());
        }

        public int integer(String field) {
            return test.get(field).asInt();
        }

        public int groupInt(String field) {
            return group.get(field).asInt();
        }

        /** Names the case in assertion messages: its id, comment and flags. */
        public String label() {
            return "tcId " + id() + " (" + test.get("comment").asText() + ", " + test.get("flags") + ", "
                    + result() + ")";
        }
    }

    /**
     * One X25519 (XDH) case as typed keys, so the tests that drive X25519 through different APIs read the
     * file one way. {@code expectedSecret} is all zero for the low-order keys panolm must refuse.
     */
    public record X25519Case(Case source, byte[] privateKey, byte[] publicKey, byte[] expectedSecret) {
        public boolean lowOrder() {
            return Arrays.equals(expectedSecret, new byte[32]);
        }
    }

    /** Every case of {@code x25519_test.json}, checked against the file's own count. */
    public static List<X25519Case> x25519() {
        List<X25519Case> out = new ArrayList<>();
        for (Case c : load("x25519_test.json").cases()) {
            out.add(new X25519Case(c, c.hex("private"), c.hex("public"), c.hex(XDH_SECRET_FIELD)));
        }
        return List.copyOf(out);
    }

    /** The XDH schema's name for the expected Diffie-Hellman result. */
    private static final String XDH_SECRET_FIELD = "shared";

    public static Wycheproof load(String file) {
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
