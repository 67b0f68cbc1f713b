package org.panolm.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.internal.json.CanonicalTree;

/** The examples of the Matrix spec's appendix "Canonical JSON", and the edge cases it implies. */
class CanonicalJsonTest {

    private static String canon(String json) {
        return new String(CanonicalJson.encode(json), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "`{}` => `{}`",
        "`{\"one\": 1, \"two\": \"Two\"}` => `{\"one\":1,\"two\":\"Two\"}`",
        "`{\"b\": \"2\", \"a\": \"1\"}` => `{\"a\":\"1\",\"b\":\"2\"}`",
        "`{\"a\": \"日本語\"}` => `{\"a\":\"日本語\"}`",
        "`{\"本\": 2, \"日\": 1}` => `{\"日\":1,\"本\":2}`",
        "`{\"a\": \"\\u65E5\"}` => `{\"a\":\"日\"}`",
        "`{\"a\": null}` => `{\"a\":null}`",
        "`{\"a\": -0, \"b\": 1e10}` => `{\"a\":0,\"b\":10000000000}`",
    })
    void specExamples(String input, String expected) {
        assertEquals(expected, canon(input));
    }

    @Test
    void specNestedAuthExample() {
        String in = """
                {
                    "auth": {
                        "success": true,
                        "mxid": "@john.doe:example.com",
                        "profile": {
                            "display_name": "John Doe",
                            "three_pids": [
                                {"medium": "email", "address": "john.doe@example.org"},
                                {"medium": "msisdn", "address": "123456789"}
                            ]
                        }
                    }
                }""";
        assertEquals("{\"auth\":{\"mxid\":\"@john.doe:example.com\",\"profile\":{\"display_name\":\"John Doe\","
                + "\"three_pids\":[{\"address\":\"john.doe@example.org\",\"medium\":\"email\"},"
                + "{\"address\":\"123456789\",\"medium\":\"msisdn\"}]},\"success\":true}}", canon(in));
    }

    @Test
    void keysSortByCodePointNotUtf16() {
        // U+1F600 is D83D DE00 in UTF-16, which sorts before U+FF61 by UTF-16 unit but after it by code point.
        String json = "{\"\uD83D\uDE00\":1,\"\uFF61\":2,\"a\":3,\"\":4}";
        assertEquals("{\"\":4,\"a\":3,\"\uFF61\":2,\"\uD83D\uDE00\":1}", canon(json));
        assertTrue("\uD83D\uDE00".compareTo("\uFF61") < 0, "the premise: UTF-16 order differs");
    }

    @Test
    void onlyTheMandatedEscapes() {
        String json = "{\"s\":\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001\\u001f \\u007f / \\/ é \\uD83D\\uDE00\"}";
        assertEquals("{\"s\":\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001\\u001f \u007f / / é \uD83D\uDE00\"}", canon(json));
        byte[] bytes = CanonicalJson.encode(json);
        // é is raw UTF-8 (C3 A9), the emoji raw 4-byte UTF-8.
        assertTrue(new String(bytes, StandardCharsets.ISO_8859_1).contains("\u00C3\u00A9"));
        assertTrue(new String(bytes, StandardCharsets.ISO_8859_1).contains("\u00F0\u009F\u0098\u0080"));
    }

    @Test
    void integerRange() {
        assertEquals("{\"a\":9007199254740991,\"b\":-9007199254740991}",
                canon("{\"a\":9007199254740991,\"b\":-9007199254740991}"));
        assertEquals("[100]", canon("[1.00e2]"));
        for (String bad : new String[] {"[9007199254740992]", "[-9007199254740992]", "[1e16]",
                "[123456789012345678901234567890]"}) {
            var e = assertThrows(PanolmException.class, () -> CanonicalJson.encode(bad), bad);
            assertEquals(Status.BAD_MESSAGE_FORMAT, e.status());
            assertTrue(e.getMessage().contains("$[0]"), e.getMessage());
        }
    }

    @Test
    void fractionsAreRefusedWithTheirPath() {
        var e = assertThrows(PanolmException.class, () -> CanonicalJson.encode("{\"a\":{\"b\":[0,1.5]}}"));
        assertEquals(Status.BAD_MESSAGE_FORMAT, e.status());
        assertTrue(e.getMessage().contains("$.a.b[1]"), e.getMessage());
        var tree = JsonNodeFactory.instance.objectNode().put("x", Double.NaN);
        assertEquals(Status.BAD_MESSAGE_FORMAT, assertThrows(PanolmException.class, () -> CanonicalTree.encode(tree)).status());
        assertEquals("{\"x\":0}", CanonicalTree.toString(JsonNodeFactory.instance.objectNode().put("x", -0.0)));
    }

    @Test
    void duplicateKeysAndBrokenJsonAreRefused() {
        assertEquals(Status.BAD_MESSAGE_FORMAT,
                assertThrows(PanolmException.class, () -> CanonicalJson.encode("{\"a\":1,\"a\":2}")).status());
        assertEquals(Status.BAD_MESSAGE_FORMAT,
                assertThrows(PanolmException.class, () -> CanonicalJson.encode("{\"a\":")).status());
    }

    @Test
    void unpairedSurrogateIsRefused() {
        var e = assertThrows(PanolmException.class, () -> CanonicalJson.encode("{\"a\":\"\\uD800x\"}"));
        assertEquals(Status.BAD_MESSAGE_FORMAT, e.status());
    }
}
